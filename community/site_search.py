"""One search for the site: stories, threads and member profiles in one list, a facet per kind.

Other apps add kinds without community importing them: a Wagtail hook named
``register_site_search`` returns a ``SearchKind``. The events app registers events there
(the lead wires it at merge). Hits in the reader's language come first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from community.folding import matches_every_word
from community.models import Post, Profile, User
from community.story_search import search_stories

SITE_SEARCH_HOOK = "register_site_search"
HITS_PER_KIND = 50


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    snippet: str = ""
    language: str = ""
    date: dt.datetime | None = None


@dataclass(frozen=True)
class SearchKind:
    name: str
    label: str
    search: Callable[..., list[SearchHit]]  # search(q=..., user=...) -> hits, best first


def story_hits(*, q: str, user: User) -> list[SearchHit]:
    """The best-ranked published stories (community/story_search.py, the index's own search)."""
    results = search_stories(q=q, limit=HITS_PER_KIND).select_related("locale")
    return [
        SearchHit(
            kind="stories",
            title=story.title,
            url=story.url,
            snippet=story.summary[:240],
            language=story.locale.language_code,
            date=story.first_published_at,
        )
        for story in results
    ]


def search_threads(*, q: str, user: User) -> list[SearchHit]:
    found = Post.objects.filter(deleted_at__isnull=True, hidden_at__isnull=True).search(q, operator="and")
    ids = [post.pk for post in found[: HITS_PER_KIND * 2]]
    by_id = {
        post.pk: post
        for post in Post.objects.filter(pk__in=ids, thread__hidden_at__isnull=True).select_related("thread")
    }
    posts = [by_id[pk] for pk in ids if pk in by_id]
    seen: dict[int, SearchHit] = {}
    for post in posts:
        if post.thread_id not in seen:
            seen[post.thread_id] = SearchHit(
                kind="threads",
                title=post.thread.title,
                url=post.get_absolute_url(),
                snippet=post.body_text[:240],
                date=post.created,
            )
    return list(seen.values())[:HITS_PER_KIND]


def search_members(*, q: str, user: User) -> list[SearchHit]:
    """Profiles the reader may see and that chose to be listed; a plain lookup (profiles are few)."""
    profiles = (
        Profile.objects.in_directory_for(user).filter(matches_every_word(q)).order_by("display_name")[:HITS_PER_KIND]
    )
    return [
        SearchHit(kind="members", title=p.display_name, url=p.get_absolute_url(), snippet=p.headline) for p in profiles
    ]


COMMUNITY_KINDS = [
    SearchKind("stories", _("Stories"), story_hits),
    SearchKind("threads", _("Discussions"), search_threads),
    SearchKind("members", _("Members"), search_members),
]


def search_kinds() -> list[SearchKind]:
    kinds = list(COMMUNITY_KINDS)
    for hook in hooks.get_hooks(SITE_SEARCH_HOOK):
        kinds.append(hook())
    return kinds


def site_search(*, q: str, user: User, language: str, kind: str = "") -> tuple[list[SearchHit], dict[str, int]]:
    """(hits, count per kind): every kind is searched so the facets show counts; ``kind`` narrows the list."""
    hits: list[SearchHit] = []
    counts: dict[str, int] = {}
    for search_kind in search_kinds():
        found = search_kind.search(q=q, user=user)
        counts[search_kind.name] = len(found)
        if not kind or kind == search_kind.name:
            hits.extend(found)
    # Stable sort: within each language group, each kind keeps its own relevance order.
    hits.sort(key=lambda hit: 0 if hit.language in ("", language) else 1)
    return hits, counts
