"""Kring's built-in YAML workflows, shipped as package data (one file per toolbox step)."""
