"""Sections whose content arrives with later work (practice stories, discussions).

They answer now, in the site's chrome, so navigation never leads to a 404 and the
URLs are already the ones design.md promises.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "stories": (
        _("Practice stories"),
        _("Members will publish the good practices from their projects here, reviewed by moderators."),
    ),
    "discussions": (
        _("Discussions"),
        _("Threads where members discuss practices, projects and events will appear here."),
    ),
}


def section(request: HttpRequest, name: str) -> HttpResponse:
    title, text = SECTIONS[name]
    return render(request, "community/section.html", {"section_title": title, "section_text": text})
