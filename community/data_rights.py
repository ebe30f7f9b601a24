"""Data rights across apps: a registry other apps fill so community never imports them.

``community`` builds the data archive and deletes accounts, but some of a member's data
lives in apps above it (chat messages, event follows in ``events``). Those apps register,
in their ``AppConfig.ready``:

- an *exporter* per kind: ``fn(*, user) -> JSON-serialisable`` (one file ``<kind>.json`` in
  the archive);
- an *eraser*: ``fn(*, user, remove_contributions: bool) -> None``, run inside the deletion's
  transaction before the account becomes a tombstone. It must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[..., Any]
Eraser = Callable[..., None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_exporter(kind: str, fn: Exporter) -> None:
    """Add ``<kind>.json`` to every data archive; registering a kind twice replaces it (reloads are safe)."""
    _exporters[kind] = fn


def register_eraser(fn: Eraser) -> None:
    _erasers[f"{fn.__module__}.{fn.__qualname__}"] = fn


def registered_exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def registered_erasers() -> list[Eraser]:
    return list(_erasers.values())
