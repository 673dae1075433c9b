"""Discourse: REST client and the mapping of Kring's actions onto it."""
