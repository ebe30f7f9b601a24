"""The admin sites' login pages lead to the one sign-in page (allauth's).

Wagtail's and Django's admin each ship a login form of their own. Those forms know
nothing of allauth's rate limits and lockout, and they sign in anyone whose password
is right, staff or not. So neither form is served: both URLs send the person to
``/accounts/login/?next=…``, where every attempt counts against the same limits, and
nothing posted to them is ever checked as a password.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from community.models import User


def may_use_wagtail_admin(user: User) -> bool:
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


def may_use_django_admin(user: User) -> bool:
    return user.is_active and user.is_staff


def admin_sign_in(request: HttpRequest, *, admin_home: str, has_access: Callable[[User], bool]) -> HttpResponse:
    """Send the visitor to the site's sign-in page, coming back to the admin page they wanted."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = admin_home
    if request.user.is_authenticated:
        if has_access(request.user):
            return HttpResponseRedirect(wanted)
        # Signed in but not staff: sending them to sign in again would loop back here.
        return render(request, "403.html", status=403)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': wanted})}")
