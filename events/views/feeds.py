"""An organisation's feeds and their import reports, for its admins and editors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Organisation
from community.organisations import can_edit_content
from events.federation.feeds import delete_feed, feeds_of, request_refresh, save_feed
from events.federation.report import COUNT_FIELDS
from events.feed_forms import FeedForm
from events.models import Feed, ImportRun

RUNS_PER_PAGE = 25


def _organisation_for_editor(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_edit_content(user=request.user, organisation=organisation):
        raise PermissionDenied(_("Only the organisation's admins and editors manage its calendar feeds."))
    return organisation


def _apply(form: FeedForm, organisation: Organisation, feed: Feed | None) -> Feed | None:
    try:
        return save_feed(organisation=organisation, feed=feed, values=form.feed_values())
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@login_required
def feed_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for_editor(request, slug)
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feed = _apply(form, organisation, None)
        if feed is not None:
            request_refresh(feed=feed)
            messages.success(request, _("Feed added; the first import is on its way."))
            return redirect("organisation-feed", slug=slug, pk=feed.pk)
    feeds = feeds_of(organisation)
    runs = ImportRun.objects.filter(organisation=organisation).select_related("feed")[:10]
    context = {"organisation": organisation, "feeds": feeds, "form": form, "runs": runs, "count_fields": COUNT_FIELDS}
    return render(request, "events/feed_list.html", context, status=400 if form.errors else 200)


@login_required
def feed_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_editor(request, slug)
    feed = get_object_or_404(Feed, pk=pk, organisation=organisation)
    form = FeedForm(request.POST or None, instance=feed)
    if request.method == "POST" and form.is_valid() and _apply(form, organisation, feed) is not None:
        messages.success(request, _("Feed saved."))
        return redirect("organisation-feed", slug=slug, pk=feed.pk)
    page = Paginator(feed.runs.all(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "feed": feed, "form": form, "page": page, "count_fields": COUNT_FIELDS}
    return render(request, "events/feed.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def feed_refresh(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_editor(request, slug)
    feed = get_object_or_404(Feed, pk=pk, organisation=organisation)
    request_refresh(feed=feed)
    messages.success(request, _("Refresh queued: the report below updates when it has run."))
    return redirect("organisation-feed", slug=slug, pk=feed.pk)


@login_required
@require_POST
def feed_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_editor(request, slug)
    feed = get_object_or_404(Feed, pk=pk, organisation=organisation)
    delete_feed(feed=feed)
    messages.success(request, _("Feed removed. Its events stay in the calendar until you remove them."))
    return redirect("organisation-feeds", slug=slug)


@login_required
def import_run_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for_editor(request, slug)
    run = get_object_or_404(ImportRun.objects.select_related("feed"), pk=pk, organisation=organisation)
    return render(
        request, "events/import_run.html", {"organisation": organisation, "run": run, "count_fields": COUNT_FIELDS}
    )
