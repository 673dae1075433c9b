"""A community's record out of Kring and back in: `kring export` (JSON with a JSON Schema, CSV, Markdown,
HTML) and `kring import` (a move between servers), under the rules every other output follows."""
