"""The privacy page under the member's account: choices, data archive, account deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from community.forms import PrivacyForm
from community.members import ensure_profile
from community.models import DataExport
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
    exports = DataExport.objects.filter(user=request.user).order_by("-requested", "-id")[:10]
    return render(
        request,
        "community/privacy_settings.html",
        {"form": form, "profile": profile, "exports": exports},
        status=400 if form.errors else 200,
    )
