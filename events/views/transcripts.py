"""Moderators' export of a session chat's transcript, as Markdown or JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from events.chat.rooms import can_moderate, chat_events
from events.chat.transcript import transcript_document, transcript_markdown
from events.models import ChatRoom


@login_required
def transcript_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    room = ChatRoom.objects.select_related("event__organiser").filter(event__in=chat_events().filter(pk=pk)).first()
    if room is None:
        raise Http404(_("This event has no chat room."))
    if not can_moderate(user=request.user, room=room):
        raise PermissionDenied(_("Only the room's moderators can export its transcript."))
    filename = f"chat-{room.event_id}"
    if fmt == "md":
        response = HttpResponse(transcript_markdown(room=room), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.md"'
        return response
    response = JsonResponse(transcript_document(room=room), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
