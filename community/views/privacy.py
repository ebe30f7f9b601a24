"""The privacy page under the member's account: choices, data archive, account deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.account_deletion import delete_account, handover_message, organisations_needing_handover
from community.account_deletion_links import send_deletion_link, token_confirms
from community.audit_log import record
from community.data_export_requests import ExportRefused, next_export_allowed_at, request_export
from community.data_exports import export_file, export_for_link, export_link_token
from community.forms import DeleteAccountForm, PrivacyForm
from community.members import ensure_profile
from community.models import AuditAction, DataExport, ExportState
from community.privacy import PRIVACY_FIELDS, notification_emails_enabled, update_privacy_choices


@login_required
def privacy_settings(request: HttpRequest) -> HttpResponse:
    profile = ensure_profile(user=request.user)
    initial = {"notification_emails": notification_emails_enabled(user=request.user)}
    form = PrivacyForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            update_privacy_choices(
                profile=profile,
                actor=request.user,
                notification_emails=data["notification_emails"],
                **{name: data[name] for name in PRIVACY_FIELDS},
            )
            messages.success(request, _("Your privacy choices are saved."))
            return redirect("privacy-settings")
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    exports = list(DataExport.objects.filter(user=request.user).order_by("-requested", "-id")[:10])
    for export in exports:
        export.download_url = (
            reverse("data-export-download", kwargs={"token": export_link_token(export=export)})
            if export.state == ExportState.READY
            else ""
        )
    return render(
        request,
        "community/privacy_settings.html",
        {
            "form": form,
            "profile": profile,
            "exports": exports,
            "export_allowed_at": next_export_allowed_at(user=request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def data_export_request(request: HttpRequest) -> HttpResponse:
    try:
        request_export(user=request.user, base_url=request.build_absolute_uri("/"))
    except ExportRefused as exc:
        messages.error(request, exc.messages[0])
        return redirect("privacy-settings")
    messages.success(
        request, _("We are putting your data together. You will get an email with a download link when it is ready.")
    )
    return redirect("privacy-settings")


@login_required
def data_export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The archive, for the member it was made for, while the signed link is fresh; anything else is a 404."""
    export = export_for_link(token=token, user=request.user)
    if export is None:
        raise Http404(_("This download link is not valid (it may have expired). Ask for a new copy."))
    record(action=AuditAction.EXPORT_DOWNLOADED, actor=request.user, subject=request.user)
    response = FileResponse(export_file(export).open("rb"), as_attachment=True, filename="praxis-my-data.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my own account (never anyone else's: there is no id in this address)."""
    user = request.user
    handover = organisations_needing_handover(user=user)
    if not user.has_usable_password() and request.method == "POST" and "send_link" in request.POST:
        send_deletion_link(user=user, base_url=request.build_absolute_uri("/"))
        messages.success(request, _("We sent you an email with a link to confirm."))
        return redirect("account-delete")
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and user.has_usable_password() and not handover and form.is_valid():
        return _delete_and_leave(request, remove_contributions=form.cleaned_data["remove_contributions"])
    return render(
        request,
        "community/account_delete.html",
        {
            "form": form,
            "handover": handover_message(handover) if handover else "",
            "needs_email": not user.has_usable_password(),
        },
        status=400 if form.errors or (request.method == "POST" and handover) else 200,
    )


@login_required
def account_delete_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed confirmation for accounts without a password: the signed link stands in for it."""
    if not token_confirms(token=token, user=request.user):
        raise Http404(_("This confirmation link is not valid (it may have expired)."))
    handover = organisations_needing_handover(user=request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    form.fields.pop("password", None)
    if request.method == "POST" and not handover and form.is_valid():
        return _delete_and_leave(request, remove_contributions=form.cleaned_data["remove_contributions"])
    return render(
        request,
        "community/account_delete.html",
        {"form": form, "handover": handover_message(handover) if handover else "", "needs_email": False},
        status=400 if form.errors else 200,
    )


def _delete_and_leave(request: HttpRequest, *, remove_contributions: bool) -> HttpResponse:
    try:
        delete_account(user=request.user, remove_contributions=remove_contributions, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("account-delete")
    logout(request)
    messages.success(request, _("Your account is deleted. Thank you for having been part of Praxis."))
    return redirect("/")
