"""Which Wagtail site a page request is for, remembered per process between changes to sites.

Wagtail looks the site up with an annotated query on every page it serves (about a
millisecond, a fifth of the story index's time). Sites change almost never, so each process
keeps the answer per (host, port) under a version kept in the shared cache; saving or
deleting any site or page draws a new version (the site holds its root page), so every
process looks again on its next request. Only requests routed to Wagtail's ``serve`` view
use it: the API, feeds and event pages pay nothing.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.views import serve

from community.fragment_cache import current_version, renew_version

VERSION_KEY = "wagtail-sites-version"
_MAX_HOSTS = 64
_known: dict[tuple[str, str, int | str], Site | None] = {}


def site_for(request: HttpRequest) -> Site | None:
    """What ``Site.find_for_request`` answers, from this process's memory when sites are unchanged."""
    key = (current_version(VERSION_KEY), split_domain_port(request._get_raw_host())[0], request.get_port())
    if key not in _known:
        if len(_known) >= _MAX_HOSTS:
            _known.clear()
        _known[key] = Site._find_for_request(request)
    return _known[key]


def sites_changed(sender, instance=None, **kwargs) -> None:
    """Receiver for every save and delete: acts on sites and pages (of any type)."""
    if isinstance(instance, Site | Page):
        renew_version(VERSION_KEY)


class RememberedSiteMiddleware:
    """Sets ``request._wagtail_site`` (where Wagtail keeps its lookup) before Wagtail's view runs."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if view_func is serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for(request)
