"""Event cards on the upcoming list, each rendered once and kept in the cache under a key
made of everything it shows.

The list page spent most of its time loading 50 full events (descriptions included) and
formatting the same dates, rules in words and URLs on every view. A card's key is a hash
of its inputs — the occurrence's instants, the event's ``updated`` (which every writer
moves, renames of its organiser and themes included), the organiser's name and the
picture, the language and the template's own source — so a stored card is right by
construction and nothing needs invalidating. Keys come from one narrow query; only the
cards not in the cache load their events in full. One ``get_many`` per page.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from community.fragment_cache import fetch_or_render, fragment_key, template_version
from events.models import Occurrence

SUMMARY = "events/includes/event_summary.html"
_KEY_FIELDS = (
    "pk",
    "start",
    "end",
    "event_id",
    "event__updated",
    "event__timezone",
    "event__image",
    "event__organiser__name",
    "event__title",
)


@dataclass(frozen=True)
class Card:
    """One occurrence on a listing page: what grouping, paging and the template need."""

    pk: int
    start: dt.datetime
    zone: zoneinfo.ZoneInfo
    title: str
    html: SafeString


def occurrence_cards(ids: list[int]) -> list[Card]:
    """Cards for the occurrences ``ids``, in that order (ids no longer there are left out)."""
    if not ids:
        return []
    context = (template_version(SUMMARY), translation.get_language())
    rows = {row[0]: row for row in Occurrence.objects.filter(pk__in=ids).values_list(*_KEY_FIELDS)}
    keys = {pk: fragment_key("event-card", (context, row)) for pk, row in rows.items()}

    def render(missing: list[int]):
        for occurrence in Occurrence.objects.select_related("event__organiser").filter(pk__in=missing):
            yield occurrence.pk, render_to_string(SUMMARY, {"event": occurrence.event, "start": occurrence.local_start})

    found = fetch_or_render(keys, render)
    cards = []
    for pk in ids:
        row = rows.get(pk)
        if row is None or pk not in found:
            continue
        cards.append(Card(pk=pk, start=row[1], zone=zoneinfo.ZoneInfo(row[5]), title=row[8], html=mark_safe(found[pk])))
    return cards


@dataclass(frozen=True)
class Day:
    date: dt.date
    heading: str  # "Tuesday, 8 December 2026" in the active language
    cards: list[Card]

    @property
    def anchor(self) -> str:
        return f"{self.date:%Y%m%d}"

    @property
    def items(self) -> SafeString:
        """The day's cards as list items, joined here rather than looped in the template."""
        return mark_safe("".join(f"<li>{card.html}</li>" for card in self.cards))


@lru_cache(maxsize=4096)
def _heading(day: dt.date, language: str | None) -> str:
    return f"{capfirst(date_format(day, 'l'))}, {date_format(day, 'DATE_FORMAT')}"


def cards_by_day(cards: list[Card]) -> list[Day]:
    """Cards grouped by the local day of their event's zone (a 09:00 session in Ljubljana
    belongs to its local day wherever the reader is); headings formatted once per language."""
    days: dict[dt.date, list[Card]] = defaultdict(list)
    for card in cards:
        days[card.start.astimezone(card.zone).date()].append(card)
    language = translation.get_language()
    return [Day(date=day, heading=_heading(day, language), cards=days[day]) for day in sorted(days)]
