"""Country filters list the countries that have something, with how many, in the page's
language (names from django-countries' translations), not 250 names or an ISO-code box."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django_countries import countries

from community.folding import fold


def country_counts(queryset: QuerySet, *, field: str = "country") -> list[tuple[str, str, int]]:
    """``[(code, name, count)]`` for the rows of ``queryset``, sorted by the translated name."""
    rows = queryset.exclude(**{field: ""}).order_by().values_list(field).annotate(n=Count("pk"))
    found = [(code, str(countries.name(code)), n) for code, n in rows if code in countries]
    return sorted(found, key=lambda row: fold(row[1]))


def country_choices(counts: list[tuple[str, str, int]], *, selected: str = "") -> list[tuple[str, str]]:
    """Select options "Slovenia (3)"; a chosen country with nothing yet still shows, as (0)."""
    choices = [(code, f"{name} ({n})") for code, name, n in counts]
    if selected and selected in countries and selected not in {code for code, _name, _n in counts}:
        choices.append((selected, f"{countries.name(selected)} (0)"))
    return choices
