"""The shape of the text catalog's parts: key → language → a sentence, or its forms by number."""

from __future__ import annotations

#: A sentence, or its forms by number: ``{"one": …, "other": …}``, chosen by the ``count`` it is given.
Sentence = str | dict[str, str]
Catalog = dict[str, dict[str, Sentence]]
