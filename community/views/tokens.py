"""A member's personal API tokens page: create (the secret shown once), list, revoke."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community.forms import PersonalTokenForm
from community.models import PersonalToken
from community.personal_tokens import create_personal_token, revoke_personal_token


@login_required
def personal_tokens(request: HttpRequest) -> HttpResponse:
    form = PersonalTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and request.POST.get("revoke"):
        token = get_object_or_404(PersonalToken, pk=request.POST["revoke"], user=request.user)
        revoke_personal_token(user=request.user, token=token)
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
        return redirect("personal-tokens")
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = dt.datetime.combine(expires_on, dt.time.max, tzinfo=dt.UTC) if expires_on is not None else None
        try:
            _token, secret = create_personal_token(
                user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("expires_on" if field == "expires_at" else "name", errors)
        else:
            form = PersonalTokenForm()
    response = render(
        request,
        "community/personal_tokens.html",
        {"form": form, "tokens": request.user.personal_tokens.order_by("-created"), "secret": secret},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response
