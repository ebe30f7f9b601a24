"""Story cards on the story index, each rendered once and kept in the cache under a key made
of everything it shows.

A page of 20 cards built 20 Wagtail page rows with their locale, authors and themes and ran
``pageurl`` and the date and theme formatting for each on every view. The key is read in one
query — the story's title, summary, address, publication times (a change of authors or themes
is a new revision), language, the template's source — plus a version of the names cards show
(authors' names, theme names), drawn anew when a profile or a theme is changed or deleted.
See ``community.fragment_cache``.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from community.fragment_cache import current_version, fetch_or_render, fragment_key, renew_version, template_version
from community.models import PracticeStoryPage

CARD = "community/includes/story_card.html"
NAMES_KEY = "story-card-names-version"
CARD_FIELDS = ("pk", "title", "summary", "url_path", "first_published_at", "last_published_at", "locale_id")


def names_changed(sender, instance=None, created: bool = False, **kwargs) -> None:
    """Receiver for saves and deletes of profiles and themes: the names cards show that a
    story's own revision does not carry (a story's authors and themes are in its revision,
    so a change to which ones it has comes with a new ``last_published_at``)."""
    if not created:
        renew_version(NAMES_KEY)


def story_cards_html(rows: list[tuple]) -> list[SafeString]:
    """The cards of the stories whose ``CARD_FIELDS`` values are ``rows``, in that order (the
    index pages through these values, so the keys cost no query of their own)."""
    rows = {row[0]: row for row in rows}
    context = (template_version(CARD), translation.get_language(), current_version(NAMES_KEY))
    keys = {pk: fragment_key("story-card", (context, row)) for pk, row in rows.items()}

    def render(missing: list[int]):
        stories = PracticeStoryPage.objects.filter(pk__in=missing).select_related("locale")
        for story in stories.prefetch_related("authors", "themes"):
            yield story.pk, render_to_string(CARD, {"story": story})

    found = fetch_or_render(keys, render)
    return [mark_safe(found[pk]) for pk in rows if pk in found]
