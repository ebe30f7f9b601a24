"""Path converters shared by every URLconf; importing this module registers them, once.

``<id:pk>`` matches a database id: digits that fit a signed 64-bit integer, the
range of a BigAutoField on SQLite and PostgreSQL alike. Django's ``<int:…>`` takes
any number of digits, and a 23-digit id then reaches the database and fails there
(SQLite: "Python int too large to convert to SQLite INTEGER", a 500). A value out of
range is no match, so the answer is a plain 404.
"""

from __future__ import annotations

from django.urls import register_converter

MAX_DATABASE_ID = 2**63 - 1


class DatabaseIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError(value)  # Django's signal for "this pattern does not match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")
