"""Domain functions for members: one place that creates and changes profiles."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from community.models import Profile, User
from community.models.users import new_calendar_token


def _unique_slug(base: str) -> str:
    root = slugify(base)[:60] or "member"
    slug, n = root, 1
    while Profile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{root}-{n}"
    return slug


def ensure_profile(*, user: User, display_name: str = "") -> Profile:
    """Return the user's profile, creating it (with a unique slug) if missing."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        pass
    name = display_name.strip() or user.get_full_name() or user.email.split("@")[0] or user.get_username()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Profile.objects.create(user=user, display_name=name, slug=_unique_slug(name))
        except IntegrityError:
            continue
    raise RuntimeError(f"could not create a profile for user {user.pk}")


def rotate_calendar_token(*, profile: Profile) -> str:
    """Give the member a new personal-feed secret; the old feed URL answers 404 from now on."""
    profile.calendar_token = new_calendar_token()
    profile.save(update_fields=["calendar_token", "updated"])
    return profile.calendar_token


def display_name_of(user: User) -> str:
    """How allauth names a member in its messages ("You are logged in as …"): the display
    name people see everywhere else, never the internal username or email."""
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None and profile.display_name else user.get_username()
