"""The notifications page, and the signed one-click unsubscribe link from digest emails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.models import Notification
from community.notification_email import unsubscribe
from community.notifications import mark_all_read

NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created", "-id")
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, "community/notification_list.html", {"page_obj": page})
    mark_all_read(user=request.user)
    return response


@require_POST
@login_required
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    mark_all_read(user=request.user)
    return redirect("notifications")


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session; the signed token is the proof
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        user = unsubscribe(token=token)
        if user is None:
            return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
        messages.success(request, _("You will get no more notification emails."))
        return render(request, "community/unsubscribe.html", {"done": True})
    return render(request, "community/unsubscribe.html", {"token": token})
