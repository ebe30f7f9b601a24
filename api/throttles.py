"""Request rates for the API, counted in the default cache.

The cache is Redis when ``REDIS_URL`` is set, so every web process counts against
one limit; with the embedded default (local memory) each process counts alone.
Clients are told by address (``REMOTE_ADDR``, which uvicorn takes from
``X-Forwarded-For`` only when the peer is in ``FORWARDED_ALLOW_IPS``) or by account.
A refused request is a 429 problem document with ``Retry-After`` (api/problems.py).
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RatesFromSettings:
    """DRF reads the rates once, at import; read them per request so a settings change applies."""

    @property
    def THROTTLE_RATES(self) -> dict[str, str]:
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonymousRateThrottle(_RatesFromSettings, AnonRateThrottle):
    """Visitors without a session: ``API_RATE_ANON`` per address."""


class MemberRateThrottle(_RatesFromSettings, UserRateThrottle):
    """Signed-in people: ``API_RATE_USER`` per account."""
