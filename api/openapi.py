"""What the OpenAPI schema describes: this API (``/api/v1/``) and nothing else.

drf-spectacular's generator walks the whole URLconf unless told otherwise, so its
``check --deploy`` check would scan Wagtail's admin API (DRF views that need a
request and a database to describe themselves) and warn about them. Scoping the
endpoints here keeps the served schema, the docs and the deploy check on one list.
"""

from __future__ import annotations

API_PREFIX = "/api/v1/"


def only_this_api(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """``PREPROCESSING_HOOKS`` entry: drop every endpoint outside ``/api/v1/``."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
