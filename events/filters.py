"""The event filters shared by `/events/`, `/events/calendar.ics` and the API.

Unknown values are an error, never an empty result: a subscriber with a typo in a
feed URL should learn it from a 400, not from a calendar that stays empty forever.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField, F, QuerySet, Value
from django.utils.translation import gettext as _
from django_countries import countries

from community.folding import matches_every_word
from community.models import Language, Organisation, Sector, Theme
from events.rules import YEAR_MAX, YEAR_MIN, clean_line

FILTER_PARAMS = ("organiser", "theme", "sector", "country", "language", "mode", "start", "end", "q")
MODES = ("online", "in_person")


class FilterError(ValueError):
    """Bad filter values, by parameter name, for a 400 answer."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class EventFilters:
    # primary keys of the named organisations, themes, sectors and languages
    organisers: list[int] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)
    sectors: list[int] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[int] = field(default_factory=list)
    mode: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    q: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.organisers or self.themes or self.sectors or self.countries or self.languages or self.mode or self.q
        )

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.organisers:
            qs = qs.filter(organiser_id__in=self.organisers)
        if self.themes:
            qs = qs.filter(themes__in=self.themes)
        if self.sectors:
            qs = qs.filter(sectors__in=self.sectors)
        if self.countries:
            qs = qs.filter(country__in=self.countries)
        if self.languages:
            qs = qs.filter(language_id__in=self.languages)
        if self.mode == "online":
            qs = qs.filter(attendance_mode__in=["online", "mixed"])
        elif self.mode == "in_person":
            qs = qs.filter(attendance_mode__in=["offline", "mixed"])
        if self.q:
            qs = qs.filter(matches_every_word(self.q))
        if self.themes or self.sectors:
            qs = qs.distinct()
        return qs


def _values(params, name: str) -> list[str]:
    out: list[str] = []
    for raw in params.getlist(name):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return out


_LOOKUPS = {
    # parameter: (model, key field)
    "organiser": (Organisation, "slug"),
    "theme": (Theme, "slug"),
    "sector": (Sector, "slug"),
    "language": (Language, "code"),
}


def _printable_only(wanted: dict[str, list[str]], errors: dict[str, str]) -> dict[str, list[str]]:
    """Values with control characters are refused here: no slug or code has one, and PostgreSQL
    refuses a NUL byte in a query parameter outright."""
    for param, values in wanted.items():
        if any(clean_line(v) != v for v in values):
            errors[param] = _("%(param)s contains characters no %(param)s has.") % {"param": param}
            wanted[param] = []
    return wanted


def _resolve(wanted: dict[str, list[str]], errors: dict[str, str]) -> dict[str, list[int]]:
    """Primary keys for every named value, in ONE query (a UNION over the vocabularies),
    so that a filtered feed's conditional request still costs one query more than the ETag."""
    parts = []
    for param, values in wanted.items():
        if values:
            model, key = _LOOKUPS[param]
            parts.append(
                model.objects.filter(**{f"{key}__in": values})
                .annotate(param=Value(param, output_field=CharField()), key=F(key))
                .values_list("param", "key", "pk")
                .order_by()
            )
    found: dict[tuple[str, str], int] = {}
    if parts:
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        found = {(param, key): pk for param, key, pk in query}
    resolved: dict[str, list[int]] = {}
    for param, values in wanted.items():
        unknown = [v for v in values if (param, v) not in found]
        if unknown:
            errors[param] = _("Unknown %(param)s: %(values)s.") % {"param": param, "values": ", ".join(unknown)}
        resolved[param] = [found[(param, v)] for v in values if (param, v) in found]
    return resolved


def _date(value: str, param: str, errors: dict[str, str]) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        errors[param] = _("“%(value)s” is not a date (YYYY-MM-DD) or ISO 8601 date-time.") % {"value": value}
        return None
    if not YEAR_MIN <= parsed.year <= YEAR_MAX:
        errors[param] = _("%(param)s must be between the years %(min)s and %(max)s.") % {
            "param": param,
            "min": YEAR_MIN,
            "max": YEAR_MAX,
        }
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def parse_event_filters(params) -> EventFilters:
    """Read filters from a QueryDict; raise FilterError naming every bad parameter."""
    errors: dict[str, str] = {}
    f = EventFilters()
    ids = _resolve(_printable_only({param: _values(params, param) for param in _LOOKUPS}, errors), errors)
    f.organisers, f.themes, f.sectors, f.languages = ids["organiser"], ids["theme"], ids["sector"], ids["language"]
    country_codes = [clean_line(c).upper() for c in _values(params, "country")]
    bad = [c for c in country_codes if c not in countries]
    if bad:
        errors["country"] = _("Unknown country code: %(values)s (use ISO 3166 codes like ES, SI).") % {
            "values": ", ".join(bad)
        }
    f.countries = [c for c in country_codes if c in countries]
    mode = params.get("mode", "").strip()
    if mode and mode not in MODES:
        errors["mode"] = _("mode must be one of: %(values)s.") % {"values": ", ".join(MODES)}
    f.mode = mode if mode in MODES else ""
    f.start = _date(params.get("start", "").strip(), "start", errors)
    f.end = _date(params.get("end", "").strip(), "end", errors)
    if f.start and f.end and f.end <= f.start:
        errors["end"] = _("end must be after start.")
    f.q = clean_line(params.get("q", ""))[:200]
    if errors:
        raise FilterError(errors)
    return f
