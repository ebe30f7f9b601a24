"""Validation shared by every uploaded image (avatars, logos)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_image_upload(upload) -> None:
    """Refuse oversized files before Pillow spends memory on them."""
    limit = settings.MAX_UPLOAD_IMAGE_BYTES
    size = getattr(upload, "size", 0) or 0
    if size > limit:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
