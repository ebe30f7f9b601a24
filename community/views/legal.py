"""/privacy/ and /terms/: the texts staff edit in the Wagtail admin (Snippets → privacy notice and terms)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community.models import LegalKind, LegalText


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The stored text, or a placeholder saying staff have not written it yet (never a 404: every footer links here)."""
    text = LegalText.objects.filter(kind=kind).first()
    return render(request, "community/legal_page.html", {"text": text, "kind_label": LegalKind(kind).label})
