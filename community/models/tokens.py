from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from community.models.secrets import HashedSecret


class PersonalToken(HashedSecret):
    """A member's own token for scripts and apps that act as them (only its SHA-256 is stored).

    Unlike an organisation's ``ApiKey``, which publishes events for an organisation with
    nobody behind it, a personal token *is* the member: it can do through the API what the
    member can do signed in (post in discussions), and it dies with the account.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_tokens")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("personal token")
        verbose_name_plural = _("personal tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix}…)"
