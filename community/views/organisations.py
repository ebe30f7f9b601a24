from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.forms import ApiKeyForm, InvitationForm, RoleForm
from community.models import ApiKey, Membership, Organisation, Profile
from community.organisations import (
    accept_invitation,
    can_edit_content,
    can_manage_members,
    change_role,
    create_api_key,
    find_invitation,
    invitation_refusal,
    invite_member,
    remove_member,
    revoke_api_key,
)


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.order_by("name")
    return render(request, "community/organisation_list.html", {"organisations": organisations})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    visible = Profile.objects.in_organisation_lists_for(request.user)
    memberships = (
        organisation.memberships.filter(user__profile__in=visible)
        .select_related("user__profile")
        .order_by("user__profile__display_name")
    )
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "can_manage": can_manage_members(user=request.user, organisation=organisation),
        "can_edit": request.user.is_authenticated and can_edit_content(user=request.user, organisation=organisation),
    }
    return render(request, "community/organisation_detail.html", context)


@login_required
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_manage_members(user=request.user, organisation=organisation):
        return render(request, "403.html", status=403)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite_member(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("organisation-members", slug=slug)
    memberships = organisation.memberships.select_related("user__profile").order_by("user__profile__display_name")
    invitations = organisation.invitations.filter(accepted_at__isnull=True)
    return render(
        request,
        "community/organisation_members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations,
            "form": form,
            "role_form": RoleForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk, organisation__slug=slug)
    if not can_manage_members(user=request.user, organisation=membership.organisation):
        return render(request, "403.html", status=403)
    try:
        if request.POST.get("action") == "remove":
            remove_member(actor=request.user, membership=membership)
            messages.success(request, _("Member removed."))
        else:
            form = RoleForm(request.POST)
            if form.is_valid():
                change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
                messages.success(request, _("Role changed."))
            else:
                messages.error(request, _("Choose a valid role."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("organisation-members", slug=slug)


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation(token=token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            membership = accept_invitation(user=request.user, token=token)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, _("Welcome to %(org)s.") % {"org": membership.organisation.name})
            return redirect(membership.organisation)
    else:
        refusal = invitation_refusal(invitation=invitation)
    return render(
        request,
        "community/invitation_accept.html",
        {"invitation": invitation, "refusal": refusal},
        status=410 if refusal else 200,
    )
    if request.method != "POST":
        return render(request, "community/invitation_accept.html", {"token": token})
    try:
        membership = accept_invitation(user=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("/")
    messages.success(request, _("Welcome to %(org)s.") % {"org": membership.organisation.name})
    return redirect(membership.organisation)


@login_required
def organisation_api_keys(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins create keys (the secret is shown once, on this answer only) and revoke them."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_manage_members(user=request.user, organisation=organisation):
        return render(request, "403.html", status=403)
    form = ApiKeyForm(request.POST or None)
    secret = ""
    if request.method == "POST" and request.POST.get("revoke"):
        key = get_object_or_404(ApiKey, pk=request.POST["revoke"], organisation=organisation)
        revoke_api_key(actor=request.user, key=key)
        messages.success(request, _("Key %(prefix)s… revoked.") % {"prefix": key.prefix})
        return redirect("organisation-api-keys", slug=slug)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = dt.datetime.combine(expires_on, dt.time.max, tzinfo=dt.UTC) if expires_on is not None else None
        try:
            _key, secret = create_api_key(
                organisation=organisation, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            form.add_error("expires_on", exc.message_dict.get("expires_at", exc.messages))
        else:
            form = ApiKeyForm()
    keys = organisation.api_keys.order_by("-created")
    response = render(
        request,
        "community/organisation_api_keys.html",
        {"organisation": organisation, "form": form, "keys": keys, "secret": secret},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response
