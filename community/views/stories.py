"""Member-facing story views: submit, edit, discuss; project pages; the Atom feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.discussions import RateLimited, post_reply, story_thread
from community.members import ensure_profile
from community.models import PracticeStoryPage, Project
from community.project_page import project_sections
from community.stories import StoryIndexMissing, can_edit_story, resubmit_story, submit_story
from community.story_forms import StoryForm, initial_from_story
from community.story_index import published_stories, story_cards


def _apply_model_errors(form: StoryForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def story_submit(request: HttpRequest) -> HttpResponse:
    form = StoryForm(request.POST or None, user=request.user, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            story = submit_story(user=request.user, draft=form.to_draft(), author=ensure_profile(user=request.user))
        except ValidationError as exc:
            _apply_model_errors(form, exc)
        except StoryIndexMissing as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you! “%(title)s” is waiting for a moderator.") % {"title": story.title})
            return redirect("member-me")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/story_form.html", {"form": form, "story": None}, status=status)


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(PracticeStoryPage, pk=pk)
    if not can_edit_story(user=request.user, story=story):
        raise PermissionDenied(_("Only the story's authors can edit it."))
    latest = story.get_latest_revision_as_object()
    language = story.locale.language_code
    form = StoryForm(
        request.POST or None, user=request.user, initial=initial_from_story(latest), locked_language=language
    )
    if request.method == "POST" and form.is_valid():
        try:
            resubmit_story(
                user=request.user, story=story, draft=form.to_draft(), author=ensure_profile(user=request.user)
            )
        except ValidationError as exc:
            _apply_model_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your changes to “%(title)s” are waiting for a moderator; the published version stays up.")
                % {"title": latest.title},
            )
            return redirect("member-me")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/story_form.html", {"form": form, "story": story}, status=status)


@require_POST
@login_required
def story_discussion_post(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(PracticeStoryPage.objects.live(), pk=pk)
    thread = story_thread(story=story)
    try:
        post = post_reply(user=request.user, thread=thread, body_markdown=request.POST.get("body_markdown", ""))
    except RateLimited as exc:
        messages.error(request, str(exc))
        return redirect(story.url + "#discussion-h")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(story.url + "#discussion-h")
    return redirect(post.get_absolute_url())


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project, slug=slug)
    partners = list(project.partners.select_related("organisation"))
    stories = list(story_cards(stories=published_stories().filter(project=project).order_by("-first_published_at")))
    return render(
        request,
        "community/project_detail.html",
        {
            "project": project,
            "partners": partners,
            "stories": stories,
            "sections": project_sections(project=project, request=request),
        },
    )
