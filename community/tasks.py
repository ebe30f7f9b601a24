"""Background tasks: thin wrappers that take ids, re-fetch, and call a domain function."""

from __future__ import annotations

from django_tasks import task

from community.models import Invitation


@task()
def send_invitation_task(invitation_id: int, base_url: str) -> str:
    """Send an invitation email; returns the address, or "" if the invitation is gone or used."""
    from community.organisations import send_invitation

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by__profile")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return ""
    send_invitation(invitation=invitation, base_url=base_url)
    return invitation.email
