"""Moderators manage every organisation's events and sessions in the admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from events.models import Event, Feed, ImportRun


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
    menu_order = 220


register_snippet(FederationViewSetGroup)
