"""Who may call what."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from api.auth import Partner


class IsPartner(BasePermission):
    """Authenticated with an organisation API key (every partner endpoint)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Partner)


class PartnerKeyThrottle(SimpleRateThrottle):
    """Rate limit per API key (``PARTNER_API_THROTTLE``, e.g. 600/min)."""

    scope = "partner"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.user, Partner):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.key.pk}
