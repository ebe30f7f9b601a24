"""Words for full-text search, cut the same way for the stored document and for the query.

The text is folded first (``community.folding``: no accents, no case), then reduced to runs of
letters and digits separated by single spaces. Both database engines then see the same
words: PostgreSQL's ``simple`` text-search configuration and SQLite's FTS5 ``unicode61``
tokenizer each split on anything else in their own way (PostgreSQL keeps "e-learning" or a
host name as one extra token, FTS5 does not), so splitting first keeps their results equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from community.folding import fold

# Underscore is a word character for ``re`` but a separator for both tokenizers.
_NOT_WORD = re.compile(r"[\W_]+")
MAX_QUERY_WORDS = 8
MAX_WORD_CHARS = 60


def search_words(text: str | None) -> list[str]:
    """The folded words of ``text`` in order: "Cooperación (e-Learning)!" → ["cooperacion", "e", "learning"]."""
    return [word for word in _NOT_WORD.split(fold(text or "")) if word]


def search_document(*, title: str, parts: Iterable[str | None]) -> str:
    """The stored search text: the title's words on the first line, every other part's on the second.

    PostgreSQL weighs the first line above the rest when it ranks (the title is what a
    reader searched for more often than not); SQLite's FTS5 sees one column of words.
    """
    rest = " ".join(word for part in parts for word in search_words(part))
    return f"{' '.join(search_words(title))}\n{rest}"


def query_words(q: str) -> list[str]:
    """The distinct words a query asks for (at most ``MAX_QUERY_WORDS``, each cut to a sane length)."""
    words = dict.fromkeys(word[:MAX_WORD_CHARS] for word in search_words(q))
    return list(words)[:MAX_QUERY_WORDS]
