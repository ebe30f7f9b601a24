"""Story search for the public surfaces: the story index, the site search and the API.

One function, ``search_stories``, narrows any queryset of stories to those holding every
word of a query (accents and case folded, a word of three letters or more also as a prefix)
through an index in the database, so its cost follows the number of matches and the page
asked for, not the number of stories (issue #15: 5,000 → 50,000 stories must cost less than twice as much):

* PostgreSQL: ``search_vector`` (a stored tsvector generated from ``search_text``) with a
  GIN index, matched with ``@@ to_tsquery('simple', …)``. Relevance is ``ts_rank`` on the
  stored vector (title words weighted above the rest); newest-first lets the planner choose
  between the GIN bitmap and the date index with its LIMIT.
* SQLite: ``community_storysearch``, an FTS5 table kept in step by triggers, joined to the
  stories (``StorySearchRow``) and MATCHed; relevance is FTS5's bm25 ``rank`` of the joined
  row (a correlated ``rank`` subquery per story re-ran the MATCH for each: 96 ms at 50k). The other candidate
  measured, a scan of the folded text in date order with LIMIT, stops early only when the
  words are common: a rare word, a relevance order or a count reads every story
  (README, "Stories, threads and search").

The query is never handed to either engine's query language as typed: it is cut into
folded words (``community/search_words.py``) and each word is quoted, so quotes, ``&|!:*()``
and control characters are only separators. Wagtail's own search index stays for the
admin's page search.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Func, QuerySet

from community.models import PracticeStoryPage
from community.search_words import PREFIX_MIN_CHARS, query_words

SearchOrder = Literal["relevance", "newest"]
NEWEST = ("-first_published_at", "-pk")


def published_stories() -> QuerySet[PracticeStoryPage]:
    """The stories anyone may read: live and under no view restriction."""
    return PracticeStoryPage.objects.live().public()


def search_stories(
    *, q: str, stories: QuerySet[PracticeStoryPage] | None = None, order: SearchOrder = "relevance"
) -> QuerySet[PracticeStoryPage]:
    """The ``stories`` (default: the published ones) holding every word of ``q``, best or newest first.

    A query with no word in it (only punctuation, say) finds nothing rather than everything.
    """
    stories = published_stories() if stories is None else stories
    words = query_words(q)
    if not words:
        return stories.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(_tsquery(words), config="simple", search_type="raw")
        found = stories.alias(search_vector=StoredVector()).filter(search_vector=query)
        rank = SearchRank(StoredVector(), query).desc()
    else:
        found = stories.filter(fts_row__search_text__match=_fts_query(words))
        rank = F("fts_row__rank").asc()  # bm25: lower is better
    if order == "relevance":
        return found.order_by(rank, *NEWEST)
    return found.order_by(*NEWEST)


def _tsquery(words: list[str]) -> str:
    """``'mentor':* & 'eu'``: each word quoted as a lexeme, so nothing in it is tsquery syntax."""
    return " & ".join(f"'{word}':*" if len(word) >= PREFIX_MIN_CHARS else f"'{word}'" for word in words)


def _fts_query(words: list[str]) -> str:
    """``"mentor"* "eu"``: each word an FTS5 string (implicit AND), never an operator or column name."""
    return " ".join(f'"{word}"*' if len(word) >= PREFIX_MIN_CHARS else f'"{word}"' for word in words)


class StoredVector(Func):
    """The generated ``search_vector`` column beside ``search_text``, through its table alias.

    Compiled from ``search_text``'s column reference, so the alias stays right when the
    queryset becomes a subquery (facet counts, ``pk__in``) and Django relabels its tables.
    """

    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("search_text"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        table = column.rsplit(".", 1)[0]
        return f"{table}.{connection.ops.quote_name('search_vector')}", params
