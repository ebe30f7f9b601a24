"""Moderators manage members, organisations, themes and projects in Wagtail's admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet, SnippetViewSetGroup

from community.account_deletion import delete_account
from community.audit_log import record
from community.models import (
    AuditAction,
    AuditEntry,
    Category,
    Flag,
    LegalText,
    Organisation,
    Post,
    PracticeStoryPage,
    Profile,
    Project,
    StoryIndexPage,
    Theme,
    Thread,
)
from community.privacy import PRIVACY_FIELDS
from community.story_index import serve_story_index
from community.story_page import story_page_context


class ProfileEditView(EditView):
    """Staff may change a member's privacy choices here; each change lands in the audit log."""

    def save_instance(self):
        before = Profile.objects.filter(pk=self.object.pk).values(*PRIVACY_FIELDS).first() or {}
        instance = super().save_instance()
        changed = [name for name in PRIVACY_FIELDS if before.get(name) != getattr(instance, name)]
        if changed and self.request.user.pk != instance.user_id:
            record(
                action=AuditAction.PRIVACY_CHANGED,
                actor=self.request.user,
                subject=instance.user,
                detail="admin: " + ", ".join(changed),
            )
        return instance


class ProfileDeleteView(DeleteView):
    """ "Delete" on a member in the admin deletes the whole account (the one way staff can), audited with the actor.

    Contributions stay as "a former member"; the member's own page offers removing them.
    """

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            delete_account(user=self.object.user, remove_contributions=False, actor=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, exc.messages[0])
            return HttpResponseRedirect(success_url)
        messages.success(self.request, _("The account of %(name)s is deleted.") % {"name": self.object.display_name})
        return HttpResponseRedirect(success_url)


class ProfileViewSet(SnippetViewSet):
    model = Profile
    edit_view_class = ProfileEditView
    delete_view_class = ProfileDeleteView
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


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Staff with the model's view permission (superusers included) read; nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_staff and super().user_has_permission(user, action)


register_permission_policy(AuditEntry, ViewOnlyPermissionPolicy(AuditEntry))


class AuditEntryViewSet(SnippetViewSet):
    """The audit log: who did what to whose data. Read-only; pruned by ``prune_audit_log``."""

    model = AuditEntry
    icon = "history"
    menu_label = "Audit log"
    list_display = ["created", "actor_label", "action", "subject_label", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_label", "subject_label", "detail"]
    inspect_view_enabled = True


class LegalTextViewSet(SnippetViewSet):
    """The privacy notice and the terms, shown at /privacy/ and /terms/ and linked from every page."""

    model = LegalText
    icon = "doc-full"
    menu_label = "Privacy notice and terms"
    list_display = ["title", "kind", "updated"]


class CommunityGroup(SnippetViewSetGroup):
    menu_label = "Community"
    menu_icon = "group"
    menu_order = 200
    items = (ProfileViewSet, OrganisationViewSet, ThemeViewSet, ProjectViewSet, LegalTextViewSet, AuditEntryViewSet)


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


@hooks.register("before_bulk_action")
def refuse_bulk_profile_deletion(request, action_type, objects, action_class_instance):
    """Deleting a member is deleting an account (``delete_account``, audited): one at a time, never in bulk."""
    if action_type == "delete" and any(isinstance(obj, Profile) for obj in objects):
        messages.error(request, _("Delete member accounts one at a time, from each member's Delete button."))
        return HttpResponseRedirect(reverse("wagtailsnippets_community_profile:list"))
    return None
