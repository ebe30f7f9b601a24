"""Moderators manage every organisation's events and sessions in the admin.

The snippet form is ``events.forms.EventAdminForm``: times in the event's own zone, the
same rules as the front-end form (``Event.clean()``), saved through
``events.writing.save_event``; deleting removes the event (and a conference's sessions)
the way the site does, keeping the rows.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from community.project_page import PROJECT_SECTIONS_HOOK
from community.site_search import SITE_SEARCH_HOOK, SearchKind
from events.forms import RRULE_HELP, EventAdminForm
from events.models import ChatModerationLog, ChatRoom, Event, Feed, ImportRun
from events.project_events import project_events_section
from events.search import search_events
from events.writing import remove_event


class EventDeleteView(DeleteView):
    """Delete in the admin means remove: feeds keep telling subscribers, history stays."""

    def delete_action(self):
        remove_event(actor=self.request.user, event=self.object)


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "date"
    menu_label = "Events"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "kind", "organiser", "start", "status"]
    list_filter = ["kind", "status", "organiser"]
    search_fields = ["title"]
    delete_view_class = EventDeleteView

    def get_queryset(self, request):
        return Event.objects.filter(removed_at__isnull=True, recurrence_id__isnull=True)

    edit_handler = ObjectList(
        [
            FieldPanel("organiser"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
            FieldPanel("title"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("start_local"), FieldPanel("end_local")]),
                    FieldPanel("all_day"),
                    FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                    FieldPanel("timezone"),
                ],
                heading=_("When"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("repeat"),
                    FieldPanel("repeat_interval"),
                    FieldPanel("repeat_weekdays"),
                    FieldPanel("repeat_monthly"),
                    FieldPanel("repeat_ends"),
                    FieldRowPanel([FieldPanel("repeat_count"), FieldPanel("repeat_until")]),
                    FieldPanel("rrule", heading=_("Custom rule (RRULE)"), help_text=RRULE_HELP),
                ],
                heading=_("Repeats"),
            ),
            FieldPanel("description"),
            FieldPanel("status"),
            MultiFieldPanel(
                [
                    FieldPanel("attendance_mode"),
                    FieldPanel("venue"),
                    FieldPanel("address"),
                    FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                    FieldPanel("online_url"),
                    FieldRowPanel([FieldPanel("room"), FieldPanel("track")]),
                ],
                heading=_("Where"),
            ),
            FieldPanel("language"),
            FieldPanel("themes"),
            FieldPanel("sectors"),
            FieldPanel("url"),
            FieldPanel("image"),
            FieldPanel("project"),
        ],
        base_form_class=EventAdminForm,
    )


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


class FeedViewSet(SnippetViewSet):
    model = Feed
    icon = "link"
    list_display = ["name", "organisation", "url", "is_active", "consecutive_failures", "last_success_at", "paused_at"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name", "url"]
    inspect_view_enabled = True


class ImportRunViewSet(SnippetViewSet):
    """Import reports, to read: runs are written by the import path only."""

    model = ImportRun
    icon = "list-ul"
    list_display = ["started", "organisation", "feed", "outcome", "created", "updated", "removed", "failed"]
    list_filter = ["outcome", "source", "organisation"]
    inspect_view_enabled = True


class FederationViewSetGroup(SnippetViewSetGroup):
    items = (FeedViewSet, ImportRunViewSet)
    menu_icon = "link"
    menu_label = "Federation"
    menu_name = "federation"
    menu_order = 230


register_snippet(FederationViewSetGroup)


@hooks.register(PROJECT_SECTIONS_HOOK)
def register_project_events(*, project, request):
    """A project's page lists its events (the link lives on events)."""
    return project_events_section(project=project, request=request)


@hooks.register(SITE_SEARCH_HOOK)
def register_event_search() -> SearchKind:
    """Events in /search/, beside stories, discussions and members."""
    return SearchKind(name="events", label=_("Events"), search=search_events)
