"""Moderators manage every organisation's events and sessions in the admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from events.models import ChatModerationLog, ChatRoom, Event


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "date"
    menu_label = "Events"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "kind", "organiser", "start", "status"]
    list_filter = ["kind", "status", "organiser"]
    search_fields = ["title"]
    exclude_form_fields = ["uid"]


register_snippet(EventViewSet)


class ChatRoomViewSet(SnippetViewSet):
    """Enable chat for any event (sessions have a room anyway), open or close it, set slow mode."""

    model = ChatRoom
    icon = "comment"
    menu_label = "Chat rooms"
    list_display = ["event", "override", "slow_mode_seconds", "updated"]
    list_filter = ["override"]
    search_fields = ["event__title"]


class ChatModerationLogViewSet(SnippetViewSet):
    """What moderators did in chat rooms, newest first (written by events.chat.moderation)."""

    model = ChatModerationLog
    icon = "list-ul"
    menu_label = "Chat moderation log"
    list_display = ["created", "room", "actor", "action", "target_user", "detail"]
    list_filter = ["action"]
    inspect_view_enabled = True


class ChatViewSetGroup(SnippetViewSetGroup):
    items = (ChatRoomViewSet, ChatModerationLogViewSet)
    menu_icon = "comment"
    menu_label = "Chat"
    menu_order = 220


register_snippet(ChatViewSetGroup)
