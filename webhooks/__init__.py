"""Kring's HTTP edge: verifies platform requests, records them, answers fast, hands work on."""

from __future__ import annotations

from webhooks.app import create_app

__all__ = ["create_app"]
