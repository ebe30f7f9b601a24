"""Moderators manage members, organisations, themes and projects in Wagtail's admin."""

from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.models import (
    Category,
    Flag,
    Organisation,
    Post,
    PracticeStoryPage,
    Profile,
    Project,
    StoryIndexPage,
    Theme,
    Thread,
)
from community.story_index import serve_story_index
from community.story_page import story_page_context


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


class FlagViewSet(SnippetViewSet):
    """The moderators' flag queue: open flags first; hiding happens on the post (or from the thread page)."""

    model = Flag
    icon = "warning"
    menu_label = "Flag queue"
    list_display = ["post_excerpt", "reason", "note", "reporter", "created", "resolved_at"]
    list_filter = ["reason"]
    ordering = ["resolved_at", "-created"]
    panels = [FieldPanel("post", read_only=True), FieldPanel("reason", read_only=True), FieldPanel("note")]

    def get_queryset(self, request):
        return Flag.objects.select_related("post__thread", "reporter")


class ThreadViewSet(SnippetViewSet):
    model = Thread
    icon = "list-ul"
    list_display = ["title", "category", "post_count", "is_pinned", "is_locked", "hidden_at"]
    list_filter = ["category", "is_pinned", "is_locked"]
    search_fields = ["title"]
    panels = [FieldPanel("title"), FieldPanel("category"), FieldPanel("is_pinned"), FieldPanel("is_locked")]


class PostViewSet(SnippetViewSet):
    """Posts for moderators, with their earlier versions (kept on every edit)."""

    model = Post
    icon = "comment"
    list_display = ["__str__", "author", "created", "edited_at", "deleted_at", "hidden_at"]
    search_fields = ["body_text"]
    panels = [
        FieldPanel("body_markdown", read_only=True),
        InlinePanel("versions", label="Earlier versions"),
    ]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder"
    list_display = ["name", "slug", "position"]


class DiscussionsGroup(SnippetViewSetGroup):
    menu_label = "Discussions"
    menu_icon = "comment"
    menu_order = 210
    items = (FlagViewSet, ThreadViewSet, PostViewSet, CategoryViewSet)


register_snippet(DiscussionsGroup)


class CommunityGroup(SnippetViewSetGroup):
    menu_label = "Community"
    menu_icon = "group"
    menu_order = 200
    items = (ProfileViewSet, OrganisationViewSet, ThemeViewSet, ProjectViewSet)


register_snippet(CommunityGroup)


@hooks.register("before_serve_page")
def serve_story_pages(page, request, serve_args, serve_kwargs):
    """The story index's filters and facets, and a story's people, places and discussion."""
    if isinstance(page, StoryIndexPage):
        return serve_story_index(page=page, request=request)
    if isinstance(page, PracticeStoryPage):
        context = page.get_context(request, *serve_args, **serve_kwargs)
        context.update(story_page_context(story=page, user=request.user))
        return TemplateResponse(request, page.get_template(request, *serve_args, **serve_kwargs), context)
    return None
