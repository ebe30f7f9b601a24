from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.country_counts import country_counts
from community.folding import matches_every_word
from community.forms import MemberFilterForm, ProfileForm
from community.members import ensure_profile, rotate_calendar_token
from community.models import Profile

MEMBERS_PER_PAGE = 24


def member_list(request: HttpRequest) -> HttpResponse:
    listed = Profile.objects.in_directory_for(request.user)
    form = MemberFilterForm(request.GET or None, country_counts=country_counts(listed))
    profiles = listed.prefetch_related("themes", "sectors")
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                profiles = profiles.filter(matches_every_word(data["q"]))
            if data["country"]:
                profiles = profiles.filter(country=data["country"])
            for name in ("sector", "theme", "language"):
                if data[name]:
                    profiles = profiles.filter(**{f"{name}s": data[name]})
        else:
            profiles = profiles.none()
            status = 400
    page = Paginator(profiles.order_by("display_name", "id"), MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/member_list.html", {"form": form, "page_obj": page}, status=status)


def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = get_object_or_404(
        Profile.objects.visible_to(request.user)
        .select_related("user")
        .prefetch_related("themes", "sectors", "languages"),
        slug=slug,
    )
    memberships = profile.user.memberships.select_related("organisation").order_by("organisation__name")
    context = {"profile": profile, "memberships": memberships}
    if request.user == profile.user:
        context.update(_calendar_addresses(request, profile))
    return render(request, "community/member_detail.html", context)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = ensure_profile(user=request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("profile-edit")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request,
        "community/profile_form.html",
        {"form": form, "profile": profile, **_calendar_addresses(request, profile)},
        status=400 if form.errors else 200,
    )


def _calendar_addresses(request: HttpRequest, profile: Profile) -> dict[str, str]:
    """The personal feed's https:// address and the webcal:// one calendar apps open directly."""
    https_url = request.build_absolute_uri(f"/calendar/{profile.calendar_token}.ics")
    return {"feed_url": https_url, "webcal_url": "webcal://" + https_url.split("://", 1)[1]}


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    """``/members/me/calendar/``: how to subscribe to the events one follows, in any calendar app."""
    profile = ensure_profile(user=request.user)
    return render(request, "community/my_calendar.html", {"profile": profile, **_calendar_addresses(request, profile)})


@login_required
@require_POST
def calendar_token_rotate(request: HttpRequest) -> HttpResponse:
    rotate_calendar_token(profile=ensure_profile(user=request.user))
    messages.success(request, _("Your personal calendar has a new address; the old one no longer works."))
    return redirect("my-calendar")


def me(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    return redirect(ensure_profile(user=request.user))
