"""Time zones as people in European education networks choose them.

The event form offers the zones of European countries first (a list of 500 names is
hard to scan) and defaults to the organising organisation's zone, taken from its
country. Countries with several zones (Portugal's Azores, Spain's Canaries) get the
capital's, which is what most of their organisations use; anyone can pick another.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from events.models.events import available_timezones

DEFAULT_ZONE = "Europe/Brussels"

# Country (ISO 3166-1 alpha-2) → the zone of its capital: EU, EEA, candidates and neighbours.
ZONE_OF_COUNTRY: dict[str, str] = {
    "AD": "Europe/Andorra", "AL": "Europe/Tirane", "AT": "Europe/Vienna", "BA": "Europe/Sarajevo",
    "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CH": "Europe/Zurich", "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn",
    "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris", "GB": "Europe/London",
    "GE": "Asia/Tbilisi", "GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest",
    "IE": "Europe/Dublin", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "LI": "Europe/Vaduz",
    "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MC": "Europe/Monaco",
    "MD": "Europe/Chisinau", "ME": "Europe/Podgorica", "MK": "Europe/Skopje", "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana",
    "SK": "Europe/Bratislava", "SM": "Europe/San_Marino", "TR": "Europe/Istanbul", "UA": "Europe/Kyiv",
    "XK": "Europe/Belgrade",
}  # fmt: skip


def _label(zone: str) -> str:
    return zone.replace("_", " ")


def zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Two groups for a select: the European countries' zones (and UTC), then every other zone."""
    known = available_timezones()
    common = sorted({zone for zone in ZONE_OF_COUNTRY.values() if zone in known} | {"UTC"})
    rest = sorted(zone for zone in known if ("/" in zone) and zone not in common and not zone.startswith("Etc/"))
    return [
        (_("Common in Europe"), [(zone, _label(zone)) for zone in common]),
        (_("All time zones"), [(zone, _label(zone)) for zone in rest]),
    ]


def zone_for_country(country: str | None) -> str:
    """The zone to offer first for an organisation in ``country`` (Brussels when unknown)."""
    return ZONE_OF_COUNTRY.get((country or "").upper(), DEFAULT_ZONE)
