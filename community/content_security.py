"""Content-Security-Policy and Permissions-Policy on every response.

Why: members, partner organisations and fetched calendars all put text on our pages. The
sanitiser and the templates' escaping are the first line; this header is the second, so
that one missed escape is a blocked inline script and not an execution. Scripts come only
from this site's files (``site/static/js``), never inline; JSON data blocks
(``json_script``, JSON-LD) are data, not scripts, and are not affected.

Two places keep a relaxed policy, each for a stated reason:

- the Wagtail and Django admins (``/admin/``, ``/django-admin/``): their own templates and
  widgets use inline scripts and style attributes, their page preview frames a page of this
  site, and only staff who signed in reach them;
- the API documentation (``/api/v1/docs/``): Swagger UI and ReDoc set styles at run time
  (ReDoc writes ``<style>`` elements); their scripts are still files from this site.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Where a story's video block may frame a player (community/story_blocks.py).
VIDEO_PLAYERS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

SITE_POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),  # the chat's WebSocket is same-origin
    "frame-src": VIDEO_PLAYERS,
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

ADMIN_POLICY = {
    **SITE_POLICY,
    "script-src": ("'self'", "'unsafe-inline'"),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),
    "frame-src": ("'self'", *VIDEO_PLAYERS),
    "frame-ancestors": ("'self'",),  # Wagtail's live preview frames the admin's own preview view
}

API_DOCS_POLICY = {
    **SITE_POLICY,
    "style-src": ("'self'", "'unsafe-inline'"),
    "worker-src": ("'self'", "blob:"),  # ReDoc searches in a worker built from a blob
}

# Longest prefix first: the first match wins.
POLICY_BY_PATH_PREFIX = (
    ("/django-admin/", ADMIN_POLICY),
    ("/admin/", ADMIN_POLICY),
    ("/api/v1/docs/", API_DOCS_POLICY),
)

# Powerful features no page of ours uses; fullscreen for the video players only.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
        "fullscreen=(self " + " ".join(f'"{origin}"' for origin in VIDEO_PLAYERS) + ")",
    ]
)


def serialise_policy(policy: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


_SITE_HEADER = serialise_policy(SITE_POLICY)
_HEADER_BY_PATH_PREFIX = tuple((prefix, serialise_policy(policy)) for prefix, policy in POLICY_BY_PATH_PREFIX)


def policy_for_path(*, path: str) -> str:
    for prefix, header in _HEADER_BY_PATH_PREFIX:
        if path.startswith(prefix):
            return header
    return _SITE_HEADER


class ContentSecurityPolicyMiddleware:
    """Adds both headers unless a view already set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for_path(path=request.path))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
