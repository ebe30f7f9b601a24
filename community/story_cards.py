"""Story cards on the story index, each rendered once and kept in the cache under a key made
of everything it shows.

A page of 20 cards built 20 Wagtail page rows with their locale, authors and themes and ran
``pageurl`` and the date and theme formatting for each on every view. The key is a hash of
the card's inputs read as plain values — the story's title, summary, address, publication
time, language, its authors' names and its themes (names in the page's language), the
template's source — so a stored card is right by construction and nothing needs
invalidating. Only the cards not in the cache load their pages in full.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from community.models import PracticeStoryPage

CARD = "community/includes/story_card.html"
NAMES_KEY = "story-card-names-version"
TIMEOUT = 24 * 3600
_PAGE_FIELDS = ("pk", "title", "summary", "url_path", "first_published_at", "last_published_at", "locale_id")


@lru_cache(maxsize=1)
def _template_version() -> str:
    source = get_template(CARD).template.source
    return hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()[:12]


def _names_version() -> str:
    version = cache.get(NAMES_KEY)
    if version is None:
        cache.add(NAMES_KEY, uuid.uuid4().hex, None)
        version = cache.get(NAMES_KEY) or "evicted"
    return version


def names_changed(sender, instance=None, created: bool = False, **kwargs) -> None:
    """Receiver for saves and deletes of profiles and themes: the names cards show that a
    story's own revision does not carry (a story's authors and themes are in its revision,
    so a change to which ones it has comes with a new ``last_published_at``)."""
    if not created:
        cache.set(NAMES_KEY, uuid.uuid4().hex, None)


def story_cards_html(ids: list[int]) -> list[SafeString]:
    """The cards of the stories ``ids``, in that order (stories no longer there are left out)."""
    if not ids:
        return []
    rows = {row[0]: row for row in PracticeStoryPage.objects.filter(pk__in=ids).values_list(*_PAGE_FIELDS)}
    context = (_template_version(), translation.get_language(), _names_version())
    keys = {
        pk: "story-card:" + hashlib.sha1(repr((context, row)).encode(), usedforsecurity=False).hexdigest()
        for pk, row in rows.items()
    }
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk in rows if keys[pk] not in found]
    if missing:
        rendered = {}
        stories = PracticeStoryPage.objects.filter(pk__in=missing).select_related("locale")
        for story in stories.prefetch_related("authors", "themes"):
            rendered[keys[story.pk]] = found[keys[story.pk]] = render_to_string(CARD, {"story": story})
        cache.set_many(rendered, TIMEOUT)
    return [mark_safe(found[keys[pk]]) for pk in ids if pk in keys and keys[pk] in found]
