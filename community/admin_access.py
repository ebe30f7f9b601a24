"""Refusals in the Wagtail admin are 403s that say why, not redirects.

Wagtail answers a signed-in member without an admin role with a redirect to its login
page (a loop for someone already logged in), and an editor who tries a moderation action
their role does not allow with a redirect to the dashboard — which a script approving a
story reads as success. Here both answer 403 with the reason; visitors are still sent to
log in, and everything a role allows goes on to Wagtail unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState

ADMIN_PREFIX = "/admin/"
OPEN_TO_ALL = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")
WORKFLOW_ACTIONS = {"wagtailadmin_pages:workflow_action", "wagtailadmin_pages:collect_workflow_action_data"}


def may_take_workflow_action(*, user, page_id: int, action_name: str, task_state_id: int) -> bool:
    """Whether the task waiting on this page offers ``user`` this action (approve, reject, …).

    An unknown page or task state is left to Wagtail, which answers it with its own 404.
    """
    task_state = TaskState.objects.filter(pk=task_state_id, status=TaskState.STATUS_IN_PROGRESS).first()
    page = Page.objects.filter(pk=page_id).first()
    if task_state is None or page is None:
        return True
    actions = task_state.task.specific.get_actions(page.specific_deferred, user)
    return any(name == action_name for name, *_rest in actions)


class AdminNeedsARoleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(OPEN_TO_ALL)
            and request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            raise PermissionDenied(
                _("The admin is for moderators and editors: approving or rejecting stories needs the moderator role.")
            )
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is None or match.view_name not in WORKFLOW_ACTIONS or not request.user.is_authenticated:
            return None
        if not may_take_workflow_action(
            user=request.user,
            page_id=view_kwargs["page_id"],
            action_name=view_kwargs["action_name"],
            task_state_id=view_kwargs["task_state_id"],
        ):
            raise PermissionDenied(
                _("Your role does not allow this moderation action (%(action)s) on this page.")
                % {"action": view_kwargs["action_name"]}
            )
        return None
