"""Story search for the public surfaces: the story index, the site search and the API.

One function, ``search_stories``, narrows any queryset of stories to those holding every
whole word of a query (accents and case folded) through an index in the database, so its cost
follows the number of matches and the page asked for, not the number of stories (issue #15:
5,000 → 50,000 stories must cost less than twice as much):

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
from django.db.models import Case, F, Func, IntegerField, QuerySet, Value, When

from community.models import PracticeStoryPage
from community.search_words import query_words

SearchOrder = Literal["relevance", "newest"]
NEWEST = ("-first_published_at", "-pk")


def published_stories() -> QuerySet[PracticeStoryPage]:
    """The stories anyone may read: live and under no view restriction."""
    return PracticeStoryPage.objects.live().public()


def search_stories(
    *,
    q: str,
    stories: QuerySet[PracticeStoryPage] | None = None,
    order: SearchOrder = "relevance",
    limit: int | None = None,
) -> QuerySet[PracticeStoryPage]:
    """The ``stories`` (default: the published ones) holding every word of ``q``, best or newest first.

    A query with no word in it (only punctuation, say) finds nothing rather than everything.

    With ``limit``, the first ``limit`` ids are found first (a narrow query: id, rank, date) and
    the queryset returned holds just those rows, in that order: ordering every match as a whole
    row (body JSON and text) costs more than finding it (PostgreSQL, 500 matches at 50,000
    stories: 2.6 ms for the ids, 7.7 ms for the rows). It costs a second query, so it pays off
    when matches are many: in the bench it grows least from 5,000 to 50,000 stories (1.3 times) but
    is not faster everywhere (README, "Stories, threads and search").
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
    found = found.order_by(rank, *NEWEST) if order == "relevance" else found.order_by(*NEWEST)
    if limit is None:
        return found
    ids = list(found.values_list("pk", flat=True)[:limit])
    if not ids:
        return PracticeStoryPage.objects.none()
    position = Case(*(When(pk=pk, then=Value(n)) for n, pk in enumerate(ids)), output_field=IntegerField())
    return PracticeStoryPage.objects.filter(pk__in=ids).order_by(position)


def _tsquery(words: list[str]) -> str:
    """``'mentoring' & 'eu'``: each word quoted as a lexeme, so nothing in it is tsquery syntax.

    Whole words only: a prefix (``'mentor':*``) makes PostgreSQL recheck every match against
    its stored vector (GIN cannot answer a prefix exactly): 6.1 ms instead of 0.9 ms for the
    heap scan of 500 matches at 50,000 stories.
    """
    return " & ".join(f"'{word}'" for word in words)


def _fts_query(words: list[str]) -> str:
    """``"mentoring" "eu"``: each word an FTS5 string (implicit AND), never an operator or column name."""
    return " ".join(f'"{word}"' for word in words)


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
