"""Download my data: the request, the archive build (run by the task worker) and the signed link.

The archive is a zip under ``MEDIA_ROOT/private/exports/`` (never served by the /media/
route, see config/urls.py): one JSON file per kind of data, the member's uploaded files and
a README.txt saying what each file holds. Kinds that live in apps above community (chat,
event follows) come from exporters those apps register (community/data_rights.py).

The download link carries a ``TimestampSigner`` signature over the export id and the
member's id; it stops working after EXPORT_LINK_MAX_AGE seconds, and it only works for the
member it was made for (anyone else, a forged or an expired link: 404).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision

from community.audit_log import record
from community.data_rights import registered_exporters
from community.models import (
    AuditAction,
    CategoryFollow,
    DataExport,
    ExportState,
    Flag,
    Membership,
    Notification,
    NotificationEmail,
    Post,
    PracticeStoryPage,
    Profile,
    ThreadFollow,
    User,
)

EXPORT_DIR = "private/exports"
LINK_SALT = "praxis.data-export.link"

README = """Your data from Praxis
=====================

This archive holds what Praxis keeps about you, as of {built} (UTC).
Each .json file is UTF-8 JSON; dates are ISO 8601.

{files}
files/           the files you uploaded (avatar, images, documents)

You can ask for a new copy once a day from the privacy page; you can also delete your
account there. Questions: see the privacy notice at {site}/privacy/.
"""

KIND_DESCRIPTIONS = {
    "profile": "your profile: name, headline, bio, links, country, languages, themes, privacy choices",
    "account": "your account: username, email addresses, when you joined and last signed in",
    "memberships": "the organisations you belong to and your role in each",
    "follows": "the threads and discussion categories you follow",
    "feed_settings": "your personal calendar feed address and notification email choice",
    "stories": "the practice stories you (co-)authored, each with every saved revision",
    "posts": "your discussion posts, each with its earlier versions",
    "flags": "the posts you reported to moderators, with your reason and note",
    "notifications": "the notifications the site sent you",
}


# --- build ----------------------------------------------------------------------------------


def build_export(*, export_id: int, base_url: str | None = None) -> DataExport | None:
    """Build the archive for a pending request; None if the request or the account is gone."""
    claimed = DataExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(state=ExportState.RUNNING)
    if not claimed:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    if user.deleted_at is not None:
        export.delete()
        return None
    relative = f"{EXPORT_DIR}/{user.pk}/praxis-data-{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(8)}.zip"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_archive(user=user, target=target)
    except Exception as exc:  # noqa: BLE001 - the worker must not crash; the member sees "failed"
        target.unlink(missing_ok=True)
        DataExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, finished=timezone.now(), error=str(exc)[:300]
        )
        return DataExport.objects.get(pk=export_id)
    with transaction.atomic():
        # The account may have been deleted while the archive was being written: then nothing is kept.
        alive = User.objects.select_for_update().filter(pk=user.pk, deleted_at__isnull=True).exists()
        updated = DataExport.objects.filter(pk=export_id).update(
            state=ExportState.READY, finished=timezone.now(), path=relative, size=target.stat().st_size
        )
        if not alive or not updated:
            target.unlink(missing_ok=True)
            DataExport.objects.filter(pk=export_id).delete()
            return None
        record(action=AuditAction.EXPORT_READY, actor=None, subject=user)
    export.refresh_from_db()
    send_export_email(export=export, base_url=base_url)
    return export


def _files_of(user: User) -> list[tuple[str, Path]]:
    """(name in the archive, path on disk) of every file the member uploaded."""
    found: list[tuple[str, Path]] = []
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.avatar:
        found.append((f"files/avatar/{Path(profile.avatar.name).name}", Path(profile.avatar.path)))
    for image in get_image_model().objects.filter(uploaded_by_user=user):
        found.append((f"files/images/{image.pk}-{Path(image.file.name).name}", Path(image.file.path)))
    for document in get_document_model().objects.filter(uploaded_by_user=user):
        found.append((f"files/documents/{document.pk}-{Path(document.file.name).name}", Path(document.file.path)))
    return [(name, path) for name, path in found if path.is_file()]


def collect(*, user: User) -> dict[str, Any]:
    """Every kind of the member's data as JSON-ready values, community's and the registered apps'."""
    data = {
        "profile": profile_data(user=user),
        "account": {
            "username": user.username,
            "email": user.email,
            "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "memberships": list(
            Membership.objects.filter(user=user).values("organisation__name", "organisation__slug", "role", "created")
        ),
        "follows": {
            "threads": list(ThreadFollow.objects.filter(user=user).values("thread_id", "thread__title")),
            "categories": list(CategoryFollow.objects.filter(user=user).values("category__slug", "category__name")),
        },
        "feed_settings": feed_settings(user=user),
        "stories": stories_data(user=user),
        "posts": posts_data(user=user),
        "flags": list(Flag.objects.filter(reporter=user).values("post_id", "reason", "note", "created", "resolved_at")),
        "notifications": list(
            Notification.objects.filter(recipient=user).values("kind", "message", "url", "created", "read_at")
        ),
    }
    for kind, exporter in registered_exporters().items():
        data[kind] = exporter(user=user)
    return data


def profile_data(*, user: User) -> dict[str, Any] | None:
    profile = Profile.objects.filter(user=user).prefetch_related("sectors", "languages", "themes").first()
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "slug": profile.slug,
        "headline": profile.headline,
        "country": profile.country.code or "",
        "bio": profile.bio,
        "website": profile.website,
        "links": profile.link_list,
        "sectors": [s.name for s in profile.sectors.all()],
        "languages": [lang.code for lang in profile.languages.all()],
        "themes": [t.name for t in profile.themes.all()],
        "avatar": profile.avatar.name or None,
        "privacy": {
            "visibility": profile.visibility,
            "in_directory": profile.in_directory,
            "in_speaker_lists": profile.in_speaker_lists,
            "in_organisation_lists": profile.in_organisation_lists,
            "quotable": profile.quotable,
        },
        "created": profile.created,
        "updated": profile.updated,
    }


def feed_settings(*, user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    email = NotificationEmail.objects.filter(user=user).first()
    return {
        "personal_calendar_url": f"{settings.SITE_URL}/calendar/{profile.calendar_token}.ics" if profile else None,
        "notification_emails": email.enabled if email else True,
    }


def stories_data(*, user: User) -> list[dict[str, Any]]:
    stories = PracticeStoryPage.objects.filter(authors__user=user).distinct().order_by("pk")
    out = []
    for story in stories:
        revisions = Revision.objects.for_instance(story).order_by("created_at")
        out.append(
            {
                "id": story.pk,
                "title": story.title,
                "summary": story.summary,
                "body_text": story.body_text,
                "live": story.live,
                "url": story.full_url,
                "first_published_at": story.first_published_at,
                "revisions": [{"created_at": r.created_at, "content": r.content} for r in revisions],
            }
        )
    return out


def posts_data(*, user: User) -> list[dict[str, Any]]:
    posts = Post.objects.filter(author=user).select_related("thread").prefetch_related("versions").order_by("pk")
    return [
        {
            "id": post.pk,
            "thread": post.thread.title,
            "number": post.number,
            "url": settings.SITE_URL + post.get_absolute_url(),
            "markdown": post.body_markdown,
            "created": post.created,
            "edited_at": post.edited_at,
            "deleted_at": post.deleted_at,
            "hidden_by_moderator": post.hidden_at is not None,
            "earlier_versions": [{"written": v.created, "markdown": v.body_markdown} for v in post.versions.all()],
        }
        for post in posts
    ]


def write_archive(*, user: User, target: Path) -> None:
    data = collect(user=user)
    files = _files_of(user)
    descriptions = {**KIND_DESCRIPTIONS}
    lines = [f"{kind + '.json':<24} {descriptions.get(kind, 'your ' + kind.replace('_', ' '))}" for kind in data]
    readme = README.format(
        built=timezone.now().strftime("%Y-%m-%d %H:%M"), files="\n".join(lines), site=settings.SITE_URL
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for kind, value in data.items():
            archive.writestr(f"{kind}.json", json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for name, path in files:
            archive.write(path, name)


# --- link, email, download -----------------------------------------------------------------


def export_link_token(*, export: DataExport) -> str:
    return signing.TimestampSigner(salt=LINK_SALT).sign(f"{export.pk}.{export.user_id}")


def export_for_link(*, token: str, user: User) -> DataExport | None:
    """The ready export the signed token names, if it is ``user``'s and not expired; else None."""
    try:
        value = signing.TimestampSigner(salt=LINK_SALT).unsign(token, max_age=settings.EXPORT_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    export_id, _sep, user_id = value.partition(".")
    if not (export_id.isdigit() and user_id.isdigit()) or int(user_id) != user.pk:
        return None
    export = DataExport.objects.filter(pk=int(export_id), user=user, state=ExportState.READY).first()
    if export is None or not (Path(settings.MEDIA_ROOT) / export.path).is_file():
        return None
    return export


def export_file(export: DataExport) -> Path:
    return Path(settings.MEDIA_ROOT) / export.path


def send_export_email(*, export: DataExport, base_url: str | None = None) -> None:
    user = export.user
    if not user.email:
        return
    link = (base_url or settings.SITE_URL).rstrip("/") + reverse(
        "data-export-download", kwargs={"token": export_link_token(export=export)}
    )
    days = max(1, settings.EXPORT_LINK_MAX_AGE // 86400)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("Your data from Praxis is ready"),
        _(
            "The copy of your data you asked for is ready. Download it (signed in as yourself) within "
            "%(days)d days:\n\n%(link)s\n\nIf you did not ask for it, change your password.\n"
        )
        % {"days": days, "link": link},
        None,
        [user.email],
    )


def delete_export_files(*, exports) -> int:
    """Remove the archives of these exports from disk; returns how many files went."""
    removed = 0
    for export in exports:
        if export.path:
            path = Path(settings.MEDIA_ROOT) / export.path
            if path.is_file():
                path.unlink()
                removed += 1
    return removed


def expire_data_exports(*, now: dt.datetime | None = None) -> int:
    """Delete archives whose link can no longer work (EXPORT_LINK_MAX_AGE); the request rows stay as "expired"."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.EXPORT_LINK_MAX_AGE)
    stale = list(DataExport.objects.filter(state=ExportState.READY, finished__lt=cutoff))
    delete_export_files(exports=stale)
    return DataExport.objects.filter(pk__in=[e.pk for e in stale]).update(state=ExportState.EXPIRED, path="", size=0)
