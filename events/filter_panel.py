"""The event list's filter panel, kept in the cache between changes of what it offers.

The panel lists every organiser, theme, sector, language and country with its count: five
queries and a hundred template loops on every view of `/events/`, for options that change
only when an event or one of those lists does (``events.page_fragments`` keys it so).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.safestring import SafeString

from community.country_counts import country_counts
from community.models import Language, Organisation, Sector, Theme
from events.models import Event
from events.page_fragments import calendar_fragment, calendar_versions

PANEL = "events/includes/event_filters.html"


def filter_options() -> dict:
    """What the panel offers (lazy: a cached panel evaluates none of it)."""
    return {
        "all_organisers": Organisation.objects.order_by("name").only("slug", "name"),
        "all_themes": Theme.objects.all(),
        "all_sectors": Sector.objects.all(),
        "all_countries": lambda: country_counts(Event.objects.listed().filter(parent__isnull=True).upcoming()),
        # EXISTS per language (an index probe each), not a join over every event.
        "all_languages": Language.objects.filter(Exists(Event.objects.filter(language=OuterRef("pk")))),
    }


def filter_panel(
    *, params: QueryDict, view: str, open_: bool, valid: bool = True, versions=calendar_versions
) -> SafeString:
    """The panel's HTML for these request parameters (``valid`` False: values that were refused,
    never cached)."""
    return calendar_fragment(
        PANEL,
        params=params,
        extra=(view, open_),
        context=lambda: {"params": params, "view": view, "open": open_, **filter_options()},
        cacheable=valid,
        versions=versions,
    )
