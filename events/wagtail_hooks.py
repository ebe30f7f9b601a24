"""Moderators manage every organisation's events and sessions in the admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from events.models import Event


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
