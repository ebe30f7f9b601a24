"""/search/?q=: stories, discussions, members (and whatever other apps register) in one list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from community.site_search import search_kinds, site_search

QUERY_MAX_CHARS = 200


def search(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    kind = (request.GET.get("kind") or "").strip()
    kinds = search_kinds()
    errors = {}
    if kind and kind not in {k.name for k in kinds}:
        errors["kind"] = _("Unknown kind: %(kind)s") % {"kind": kind[:40]}
    if len(q) > QUERY_MAX_CHARS:
        errors["q"] = _("Search at most %(limit)d characters.") % {"limit": QUERY_MAX_CHARS}
    context = {"q": q, "kind": kind, "kinds": kinds, "errors": errors, "hits": [], "counts": {}}
    if errors:
        return render(request, "community/search.html", context, status=400)
    if q:
        context["hits"], context["counts"] = site_search(
            q=q, user=request.user, language=request.LANGUAGE_CODE, kind=kind
        )
    return render(request, "community/search.html", context)
