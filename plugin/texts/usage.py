"""Usage lines in the reader's language: the placeholders a member fills in are translated, the words
they type literally (`accept`, `remove`, `list`) are not — except where Kring accepts both (`ja|nee`)."""

from __future__ import annotations

#: Placeholder (and accepted-word) replacements per language; English is how the commands declare them.
_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "<answer>": "<antwoord>", "[number]": "[nummer]", "<number>": "<nummer>", "<text>": "<tekst>",
        "<what>": "<wat>", "<organisation>": "<organisatie>", "<member>": "<lid>", "<ref>": "<nr>",
        "<@user|": "<@gebruiker|",
        "<YYYY-MM-DD>": "<JJJJ-MM-DD>", "[HH:MM]": "[UU:MM]", "[command|workflow]": "[opdracht|workflow]",
        "[name=value …]": "[naam=waarde …]", "[admins=@user,…]": "[admins=@gebruiker,…]", "[yes|no]": "[ja|nee]",
    },
}


def usage_in(usage: str, language: str) -> str:
    """``usage`` with its placeholders in ``language`` (unchanged in English)."""
    for english, translated in _WORDS.get(language, {}).items():
        usage = usage.replace(english, translated)
    return usage
