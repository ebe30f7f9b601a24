"""Discussion pages: categories, threads, posting, editing, flags and moderation actions.

Thin: each view reads the request, calls a function in community/discussions.py or
community/moderation.py, and turns PermissionDenied into a 403 with its message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.discussions import (
    RateLimited,
    delete_post,
    edit_post,
    follow_category,
    follow_thread,
    is_moderator,
    last_read,
    mark_read,
    post_reply,
    start_thread,
    thread_page_count,
    thread_posts,
    unfollow_category,
    unfollow_thread,
)
from community.markdown import quote_markdown
from community.models import Category, CategoryFollow, FlagReason, Post, Thread, ThreadFollow
from community.models.discussions import POST_MAX_CHARS
from community.moderation import flag_post, hide_post, move_thread, set_thread_flags
from community.post_fragments import shown_posts

THREADS_PER_PAGE = 30


class PostForm(forms.Form):
    body_markdown = forms.CharField(
        label=gettext_lazy("Your post (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Mention a member with @their-profile-address. At most %(limit)d characters.")
        % {"limit": POST_MAX_CHARS},
    )
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ThreadForm(PostForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    field_order = ["title", "body_markdown"]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why are you reporting this post?"), choices=FlagReason.choices)
    note = forms.CharField(label=gettext_lazy("Anything the moderators should know"), max_length=500, required=False)


def _refuse(request: HttpRequest, exc: Exception, form: forms.Form) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


def discussion_index(request: HttpRequest) -> HttpResponse:
    categories = Category.objects.annotate(
        thread_count=Count("threads", filter=Q(threads__hidden_at__isnull=True))
    ).order_by("position", "name")
    recent = (
        Thread.objects.visible()
        .filter(last_posted_at__isnull=False)
        .select_related("category", "story")
        .order_by("-last_posted_at")[:10]
    )
    return render(request, "community/discussion_index.html", {"categories": categories, "recent": recent})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    threads = Thread.objects.visible().filter(category=category).select_related("author__profile")
    page = Paginator(threads.order_by("-is_pinned", "-last_posted_at", "-id"), THREADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    following = (
        request.user.is_authenticated and CategoryFollow.objects.filter(user=request.user, category=category).exists()
    )
    return render(
        request,
        "community/category_detail.html",
        {"category": category, "page_obj": page, "following": following},
    )


@login_required
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = start_thread(
                user=request.user,
                category=category,
                title=form.cleaned_data["title"],
                body_markdown=form.cleaned_data["body_markdown"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refuse(request, exc, form)
        else:
            return redirect(thread)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/thread_form.html", {"form": form, "category": category}, status=status)


def _thread_or_404(request: HttpRequest, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("category", "story"), pk=pk)
    if thread.hidden_at is not None and not is_moderator(request.user):
        raise Http404
    return thread


def thread_detail(request: HttpRequest, pk: int, form: PostForm | None = None, status: int = 200) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    pages = thread_page_count(thread=thread)
    try:
        page = int(request.GET.get("page", pages if request.GET.get("last") else 1))
    except ValueError:
        page = 1
    page = min(max(page, 1), pages)
    posts = shown_posts(
        thread_posts(thread=thread, page=page),
        signed_in=request.user.is_authenticated,
        moderator=is_moderator(request.user),
    )
    read_to = last_read(user=request.user, thread=thread)
    if posts:
        mark_read(user=request.user, thread=thread, number=posts[-1].number)
    if form is None:
        initial = {}
        quote = request.GET.get("quote")
        if quote and quote.isdigit():
            quoted = Post.objects.shown().filter(thread=thread, number=int(quote)).select_related("author__profile")
            quoted = quoted.first()
            if quoted is not None:
                initial = {
                    "body_markdown": quote_markdown(text=quoted.body_markdown, author=_author_name(quoted)),
                    "reply_to": quoted.pk,
                }
        form = PostForm(initial=initial)
    following = request.user.is_authenticated and ThreadFollow.objects.filter(user=request.user, thread=thread).exists()
    context = {
        "thread": thread,
        "posts": posts,
        "page_number": page,
        "page_count": pages,
        "read_to": read_to,
        "form": form,
        "following": following,
        "moderator": is_moderator(request.user),
        "categories": Category.objects.all() if is_moderator(request.user) else [],
        "flag_form": FlagForm(),
    }
    return render(request, "community/thread_detail.html", context, status=status)


def _author_name(post: Post) -> str:
    if post.author is None:
        return _("a former member")
    profile = getattr(post.author, "profile", None)
    return profile.display_name if profile else post.author.get_username()


@require_POST
@login_required
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    form = PostForm(request.POST)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data.get("reply_to"):
            reply_to = Post.objects.filter(pk=form.cleaned_data["reply_to"], thread=thread).first()
        try:
            post = post_reply(
                user=request.user, thread=thread, body_markdown=form.cleaned_data["body_markdown"], reply_to=reply_to
            )
        except RateLimited as exc:
            form.add_error(None, str(exc))
            return thread_detail(request, pk, form=form, status=429)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            _refuse(request, exc, form)
        else:
            return redirect(post.get_absolute_url())
    return thread_detail(request, pk, form=form, status=400)


def post_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's address: the page of its thread it is on, scrolled to it."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    url = reverse("thread-detail", kwargs={"pk": post.thread_id})
    if post.page_number > 1:
        url += f"?page={post.page_number}"
    return redirect(f"{url}#{post.anchor}")


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("You can only edit your own posts."))
    form = PostForm(request.POST or None, initial={"body_markdown": post.body_markdown})
    if request.method == "POST" and form.is_valid():
        try:
            edit_post(user=request.user, post=post, body_markdown=form.cleaned_data["body_markdown"])
        except ValidationError as exc:
            _refuse(request, exc, form)
        else:
            return redirect(post.get_absolute_url())
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/post_form.html", {"form": form, "post": post}, status=status)


@require_POST
@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    delete_post(user=request.user, post=post)
    messages.success(request, _("Your post was deleted."))
    return redirect(post.get_absolute_url())


@require_POST
@login_required
def post_flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.shown(), pk=pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for reporting the post."))
        return redirect(post.get_absolute_url())
    flag_post(user=request.user, post=post, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
    messages.success(request, _("Thank you: a moderator will look at this post."))
    return redirect(post.get_absolute_url())


@require_POST
@login_required
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    hide_post(moderator=request.user, post=post, hidden=request.POST.get("hidden", "1") == "1")
    return redirect(post.get_absolute_url())


@require_POST
@login_required
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    action = request.POST.get("action", "")
    if action in {"pin", "unpin"}:
        set_thread_flags(moderator=request.user, thread=thread, pinned=action == "pin")
    elif action in {"lock", "unlock"}:
        set_thread_flags(moderator=request.user, thread=thread, locked=action == "lock")
    elif action == "move":
        if not is_moderator(request.user):
            raise PermissionDenied(_("Only moderators can do this."))
        category = Category.objects.filter(pk=request.POST.get("category") or 0).first()
        if category is None:
            messages.error(request, _("Choose a category to move the thread to."))
        else:
            try:
                move_thread(moderator=request.user, thread=thread, category=category)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Unknown moderation action: %(action)s") % {"action": action[:40]})
    return redirect(thread)


@require_POST
@login_required
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread_or_404(request, pk)
    if request.POST.get("follow", "1") == "1":
        follow_thread(user=request.user, thread=thread)
    else:
        unfollow_thread(user=request.user, thread=thread)
    return redirect(thread)


@require_POST
@login_required
def category_follow(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    if request.POST.get("follow", "1") == "1":
        follow_category(user=request.user, category=category)
    else:
        unfollow_category(user=request.user, category=category)
    return redirect(category)
