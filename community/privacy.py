"""Privacy choices: who sees a member's profile, where they are listed, who may quote them, which emails.

Every surface asks the model, not this module: ``Profile.objects.visible_to`` (profile
pages), ``in_directory_for`` (directory, member search, site search),
``in_organisation_lists_for`` (organisation pages) and ``Speaker.shown_to`` (speaker lists
on pages and in the API). This module is the one write path for the choices.
"""

from __future__ import annotations

from django.db import transaction

from community.audit_log import record
from community.models import AuditAction, NotificationEmail, Profile, User

PRIVACY_FIELDS = ("visibility", "in_directory", "in_speaker_lists", "in_organisation_lists", "quotable")


def notification_emails_enabled(*, user: User) -> bool:
    row = NotificationEmail.objects.filter(user=user).first()
    return True if row is None else row.enabled


def update_privacy_choices(*, profile: Profile, actor: User, notification_emails: bool, **choices) -> list[str]:
    """Save the choices; returns the names that changed. A change by anyone else is audited."""
    unknown = set(choices) - set(PRIVACY_FIELDS)
    if unknown:
        raise TypeError(f"unknown privacy choices: {sorted(unknown)}")
    with transaction.atomic():
        # Compare with the stored row, not the instance: a bound ModelForm has already set the new values on it.
        stored = Profile.objects.select_for_update().filter(pk=profile.pk).values(*choices).get()
        changed = [name for name, value in choices.items() if stored[name] != value]
        for name in changed:
            setattr(profile, name, choices[name])
        if changed:
            profile.full_clean(validate_unique=False, validate_constraints=False)
            profile.save(update_fields=[*changed, "updated"])
        if notification_emails_enabled(user=profile.user) != notification_emails:
            NotificationEmail.objects.update_or_create(
                user=profile.user,
                defaults={"enabled": notification_emails, **({} if notification_emails else {"digest_due": None})},
            )
            changed.append("notification_emails")
        if changed and actor.pk != profile.user_id:
            record(
                action=AuditAction.PRIVACY_CHANGED,
                actor=actor,
                subject=profile.user,
                detail=", ".join(changed),
            )
    return changed
