"""A version of "which stories are published", moved whenever one is published, unpublished or
deleted, so the story index's cached counts are found with one cache read.

The index used to key its cached facet counts on the latest publication time and the number
of live stories — an aggregate over every story on every view (5 ms at 5,000 on SQLite,
growing with the data). The version lives in the shared cache with no expiry; if it is ever
evicted a new one is drawn, which only costs one recount.
"""

from __future__ import annotations

from community.fragment_cache import current_version, renew_version

KEY = "published-stories-version"


def published_stories_version() -> str:
    return current_version(KEY)


def stories_changed(**kwargs) -> None:
    """Receiver for Wagtail's page_published / page_unpublished and a story's deletion."""
    renew_version(KEY)
