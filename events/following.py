"""Following events, organisations and themes: what a member's personal calendar is made of.

Both functions are idempotent, so a double click, a retried request or two tabs at once
answer as the first did: following twice is following, never an IntegrityError.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from community.models import Organisation, Profile, Theme, User
from events.models import Event, EventFollow, OrganisationFollow, ThemeFollow

_FOLLOW_MODELS: dict[type[Model], tuple[type[Model], str]] = {
    Event: (EventFollow, "event"),
    Organisation: (OrganisationFollow, "organisation"),
    Theme: (ThemeFollow, "theme"),
}


def follow(*, user: User, target: Event | Organisation | Theme) -> bool:
    """Follow ``target``; True if this call started following it."""
    model, field = _FOLLOW_MODELS[type(target)]
    try:
        with transaction.atomic():
            _obj, created = model.objects.get_or_create(user=user, **{field: target})
    except IntegrityError:  # the other request of a double submit won the race
        return False
    if created:
        _personal_calendar_changed(user)
    return created


def unfollow(*, user: User, target: Event | Organisation | Theme) -> bool:
    """Stop following ``target``; True if it was followed."""
    model, field = _FOLLOW_MODELS[type(target)]
    deleted, _rows = model.objects.filter(user=user, **{field: target}).delete()
    if deleted:
        _personal_calendar_changed(user)
    return bool(deleted)


def _personal_calendar_changed(user: User) -> None:
    """The personal feed's Last-Modified: following an old event or unfollowing one changes the
    feed without touching any event's ``updated``."""
    Profile.objects.filter(user=user).update(updated=timezone.now())


def is_following(*, user: User, target: Event | Organisation | Theme) -> bool:
    if not user.is_authenticated:
        return False
    model, field = _FOLLOW_MODELS[type(target)]
    return model.objects.filter(user=user, **{field: target}).exists()
