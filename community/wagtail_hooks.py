"""Moderators manage members, organisations, themes and projects in Wagtail's admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.models import Organisation, Profile, Project, Theme


class ProfileViewSet(SnippetViewSet):
    model = Profile
    icon = "user"
    menu_label = "Members"
    list_display = ["display_name", "headline", "country", "visibility", "updated"]
    list_filter = ["visibility", "sectors"]
    search_fields = ["display_name", "headline"]
    add_to_admin_menu = False


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "type", "country", "city"]
    list_filter = ["type"]
    search_fields = ["name", "city"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "folder-open-inverse"
    list_display = ["title", "acronym", "status", "start_date", "end_date"]
    search_fields = ["title"]


class CommunityGroup(SnippetViewSetGroup):
    menu_label = "Community"
    menu_icon = "group"
    menu_order = 200
    items = (ProfileViewSet, OrganisationViewSet, ThemeViewSet, ProjectViewSet)


register_snippet(CommunityGroup)
