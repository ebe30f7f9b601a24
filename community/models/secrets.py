from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_secret(secret: str) -> str:
    """What is stored of a key or token: its SHA-256 (the secret is shown once and never kept)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class HashedSecret(models.Model):
    """A bearer secret kept only as its hash, with the life every such secret has: a prefix to
    recognise it by, created, last used, revoked and an optional expiry. An organisation's API
    key and a member's personal token are both this, for different owners."""

    prefix = models.CharField(max_length=12, db_index=True)
    hashed_key = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        abstract = True
