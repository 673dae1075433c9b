"""Usage lines in the reader's language: the placeholders a member fills in are translated, the words
they type literally (`accept`, `remove`, `list`) are not — except where Kring accepts both (`ja|nee`)."""

from __future__ import annotations

from plugin.texts.catalog import sentence

#: The placeholders of the commands' usage lines, as the commands declare them (in English).
USAGE = (
    sentence("usage.<answer>", "<answer>"),
    sentence("usage.[number]", "[number]"),
    sentence("usage.<number>", "<number>"),
    sentence("usage.<text>", "<text>"),
    sentence("usage.<what>", "<what>"),
    sentence("usage.<organisation>", "<organisation>"),
    sentence("usage.<member>", "<member>"),
    sentence("usage.<ref>", "<ref>"),
    sentence("usage.<@user|", "<@user|"),
    sentence("usage.<YYYY-MM-DD>", "<YYYY-MM-DD>"),
    sentence("usage.[HH:MM]", "[HH:MM]"),
    sentence("usage.[command|workflow]", "[command|workflow]"),
    sentence("usage.[name=value …]", "[name=value …]"),
    sentence("usage.[admins=@user,…]", "[admins=@user,…]"),
    sentence("usage.[yes|no]", "[yes|no]"),
)
