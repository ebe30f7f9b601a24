"""Keyset ("cursor") pagination for every list in the API.

A cursor holds the sort key of the row it was cut at, e.g. ``(start, id)``, and the
next page is ``WHERE (start, id) > (cursor)``: the cost of a page does not grow with
how deep the client walks, rows that share a ``start`` are neither skipped nor
repeated, and rows added meanwhile never shift a page. DRF's own CursorPagination
keys on the first ordering field plus an offset, which re-reads ties and caps them.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class StrictPageSize:
    """``page_size`` exactly as the schema declares it, for every paginated list (keyset or
    page numbers): a value outside 1..MAX_PAGE_SIZE is a 400 naming it, never silently changed."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    page_size_query_description = _("Rows per page, from 1 to %(max)s: %(default)s unless given.") % {
        "default": DEFAULT_PAGE_SIZE,
        "max": MAX_PAGE_SIZE,
    }

    def get_page_size(self, request) -> int:
        """``page_size`` as the schema declares it: digits only, 1 to MAX_PAGE_SIZE; empty is the default."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        # Digits only: int() would also take " 5", "1_0" and non-ASCII digits.
        size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Enter a whole number from 1 to %d.") % MAX_PAGE_SIZE]}
            )
        return size

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=DEFAULT_PAGE_SIZE)
        return parameters


class KeysetPagination(StrictPageSize, CursorPagination):
    """Pages ordered by ``ordering`` (two ascending fields, the last one unique)."""

    ordering: tuple[str, str] = ("start", "id")
    cursor_query_description = _("Opaque cursor taken from the `next` or `previous` link of an earlier page.")
    template = None

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.model = queryset.model
        cursor = self.decode_cursor(request)
        first, second = self.ordering
        reverse = bool(cursor and cursor[0])
        if cursor is not None:
            value, tie = cursor[1]
            op = "lt" if reverse else "gt"
            queryset = queryset.filter(Q(**{f"{first}__{op}": value}) | Q(**{first: value, f"{second}__{op}": tie}))
        order = (f"-{first}", f"-{second}") if reverse else (first, second)
        rows = list(queryset.order_by(*order)[: self.page_size + 1])
        more = len(rows) > self.page_size
        page = rows[: self.page_size]
        if reverse:
            page.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, cursor is not None
        self.page = page
        return page

    # The cursor: base64url of JSON {"r": reverse, "k": [first, second]}.

    def decode_cursor(self, request) -> tuple[bool, tuple[Any, Any]] | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:  # absent or empty: the first page
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii") + b"=" * (-len(encoded) % 4)))
            reverse = payload["r"]
            raw_first, raw_second = payload["k"]
            if not isinstance(reverse, bool) or not isinstance(raw_first, str | int):
                raise TypeError(reverse)
            model_fields = [self.model._meta.get_field(name) for name in self.ordering]
            key = (model_fields[0].to_python(raw_first), model_fields[1].to_python(raw_second))
            if key[0] is None or key[1] is None:
                raise TypeError(key)
        except (
            UnicodeError,
            binascii.Error,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            DjangoValidationError,
        ) as exc:
            raise ValidationError(
                {self.cursor_query_param: [_("Invalid cursor: use a next or previous link.")]}
            ) from exc
        return reverse, key

    def encode_cursor(self, reverse: bool, row) -> str:
        key = [_key_value(row[name] if isinstance(row, dict) else getattr(row, name)) for name in self.ordering]
        raw = json.dumps({"r": reverse, "k": key}, separators=(",", ":")).encode()
        encoded = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self) -> str | None:
        if not (self.has_next and self.page):
            return None
        return self.encode_cursor(False, self.page[-1])

    def get_previous_link(self) -> str | None:
        if not (self.has_previous and self.page):
            return None
        return self.encode_cursor(True, self.page[0])

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        return response


def _key_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class EventPagination(KeysetPagination):
    ordering = ("start", "id")


class OrganisationPagination(KeysetPagination):
    ordering = ("name", "id")
