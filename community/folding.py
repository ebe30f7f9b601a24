"""Accent- and case-folded text for search: "lucia" finds Lucía, "zoe" finds Zoë.

Searchable rows keep a folded copy of their searchable text, written on save, and queries are
folded the same way, so a plain ``contains`` gives identical results on SQLite and PostgreSQL
(no ``unaccent`` extension, no collation that differs between the two).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db.models import Q

# Letters that Unicode does not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"})
MAX_QUERY_WORDS = 8


def fold(text: str) -> str:
    """Lower case without accents: "Zoë Ørsted-Łukasiewicz" → "zoe orsted-lukasiewicz".

    ASCII text (most of what feeds send) has nothing to decompose or strip, and its case fold
    is its lower case: answered at once, since the per-character walk cost an import of
    10,000 events about a second.
    """
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_SPECIAL)


def fold_all(parts: Iterable[str | None]) -> str:
    """The folded search copy of several fields, one per line."""
    return "\n".join(fold(part) for part in parts if part)


def matches_every_word(q: str, *, field: str = "search_text") -> Q:
    """A filter for rows whose folded ``field`` holds every word of ``q`` (accents and case ignored)."""
    words = fold(q).split()[:MAX_QUERY_WORDS]
    match = Q()
    for word in words:
        match &= Q(**{f"{field}__contains": word})
    return match
