"""The project page's extension point: other apps add sections without community importing them.

An app registers a Wagtail hook named ``project_page_sections``: a callable taking
``project`` and ``request`` and returning ``(title, html)`` or None. The events app uses it
to list a project's events (the event → project link lives on the events side).
"""

from __future__ import annotations

from django.http import HttpRequest
from wagtail import hooks

from community.models import Project

PROJECT_SECTIONS_HOOK = "project_page_sections"


def project_sections(*, project: Project, request: HttpRequest) -> list[tuple[str, str]]:
    sections = []
    for hook in hooks.get_hooks(PROJECT_SECTIONS_HOOK):
        section = hook(project=project, request=request)
        if section:
            sections.append(section)
    return sections
