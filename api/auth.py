"""``Authorization: Bearer <secret>``: organisation keys and members' personal tokens.

An organisation key (``prx_…``) acts for its organisation only, on the partner API.
``request.user`` becomes a ``Partner`` (not a site account: a key has no person behind
it) and ``request.auth`` the ApiKey row. A personal token (``prt_…``) is its member, on
every other endpoint: ``request.user`` is the member, with no CSRF check (no cookie).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from community.models import ApiKey, Organisation
from community.organisations import api_key_for_secret
from community.personal_tokens import PREFIX as PERSONAL_PREFIX
from community.personal_tokens import user_for_token


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False

    @property
    def pk(self) -> str:
        return f"apikey-{self.key.pk}"

    def has_perm(self, perm: str, obj=None) -> bool:
        return False


class _BearerSecret(BaseAuthentication):
    """``Authorization: Bearer <secret>``: the header read once for both kinds of secret."""

    keyword = "Bearer"
    malformed = ""  # what to say when the header is not "Bearer <secret>"
    unreadable = ""  # what to say when the secret is not ASCII

    def secret(self, request) -> str | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(self.malformed)
        try:
            return header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(self.unreadable) from exc

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyAuthentication(_BearerSecret):
    malformed = gettext_lazy("Send the key as: Authorization: Bearer <key>.")
    unreadable = gettext_lazy("The API key is not valid.")

    def authenticate(self, request):
        secret = self.secret(request)
        if secret is None:
            return None
        key = api_key_for_secret(secret)
        if key is None:
            raise AuthenticationFailed(_("The API key is not valid, revoked or expired."))
        return Partner(organisation=key.organisation, key=key), key


class PersonalTokenAuthentication(_BearerSecret):
    malformed = gettext_lazy("Send the token as: Authorization: Bearer <token>.")
    unreadable = gettext_lazy("The token is not valid.")

    def authenticate(self, request):
        secret = self.secret(request)
        if secret is None:
            return None
        if not secret.startswith(PERSONAL_PREFIX):
            raise AuthenticationFailed(
                _(
                    "This endpoint takes a member's personal token (prt_…), created on your profile. "
                    "Organisation keys (prx_…) work on the partner API only."
                )
            )
        user = user_for_token(secret)
        if user is None:
            raise AuthenticationFailed(_("The token is not valid, revoked or expired."))
        return user, secret


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A member's personal token (prt_…), created on their profile under API tokens.",
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the key."""

    target_class = "api.auth.ApiKeyAuthentication"
    name = "organisationApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation API key (prx_…), created by its admins or `manage.py create_partner`.",
        }
