"""Posting in an event's discussion from the event page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.discussions import RateLimited, post_reply
from events.discussions import event_thread
from events.models import Event


@require_POST
@login_required
def event_discussion_post(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.filter(removed_at__isnull=True), pk=pk)
    thread = event_thread(event=event)
    try:
        post = post_reply(user=request.user, thread=thread, body_markdown=request.POST.get("body_markdown", ""))
    except (RateLimited, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect(reverse("event-detail", args=[event.pk]) + "#discussion-h")
    return redirect(post.get_absolute_url())
