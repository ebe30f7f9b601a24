"""What an import run tells the partner: counts, and one line per problem.

Problems are dicts so they can be stored as JSON, shown on the organisation's page and
answered by the API unchanged::

    {"level": "error", "kind": "end_before_start", "position": 12, "uid": "abc@example.org",
     "property": "DTEND", "message": "DTEND (…) is before DTSTART (…)."}

``level`` is ``error`` when the event was skipped and ``warning`` when it was imported
with something left out or guessed. A run keeps at most ``ImportRun.MAX_ERRORS`` of them
(errors first) and counts them all in ``problem_total``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from events.models import ImportRun

COUNT_FIELDS = ("created", "updated", "unchanged", "cancelled", "removed", "failed")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str, limit: int) -> str:
    """Report text without control characters (PostgreSQL refuses NUL in JSON and text) and capped."""
    return _CONTROL_RE.sub("\ufffd", str(text))[:limit]


@dataclass
class Problems:
    items: list[dict] = field(default_factory=list)

    def add(self, *, level: str, kind: str, message: str, position: int | None = None, uid: str = "", prop: str = ""):
        self.items.append(
            {
                "level": level,
                "kind": kind,
                "position": position,
                "uid": printable(uid, 255),
                "property": printable(prop, 64),
                "message": printable(message, 1000),
            }
        )

    def error(self, **kwargs) -> None:
        self.add(level="error", **kwargs)

    def warning(self, **kwargs) -> None:
        self.add(level="warning", **kwargs)

    def capped(self) -> list[dict]:
        ordered = sorted(
            self.items, key=lambda p: (p["level"] != "error", p["position"] if p["position"] is not None else 0)
        )
        return ordered[: ImportRun.MAX_ERRORS]


def kinds(run: ImportRun) -> Counter[str]:
    """Problems by kind, over the stored (capped) list."""
    return Counter(problem["kind"] for problem in run.problems)


def summary_rows(run: ImportRun) -> list[tuple[str, str]]:
    rows = [
        (_("outcome"), run.get_outcome_display()),
        (_("source"), run.url or run.get_source_display()),
        (_("HTTP status"), str(run.http_status or "-")),
        (_("bytes"), f"{run.bytes:,}"),
        (_("duration"), f"{run.duration_ms / 1000:.2f} s"),
        (_("events in source"), f"{run.events_in_source:,}"),
        (_("blocks parsed"), f"{run.blocks_parsed:,}"),
    ]
    rows += [(name, f"{getattr(run, name):,}") for name in COUNT_FIELDS]
    rows.append((_("problems"), f"{run.problem_total:,}"))
    if run.message:
        rows.append((_("message"), run.message))
    return rows


def format_table(rows: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _value in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def format_problems(run: ImportRun, limit: int = 50) -> str:
    lines = []
    for problem in run.problems[:limit]:
        where = f"#{problem['position']}" if problem.get("position") else "file"
        uid = f" {problem['uid']}" if problem.get("uid") else ""
        prop = f" [{problem['property']}]" if problem.get("property") else ""
        lines.append(f"{problem['level']:7} {where}{uid}{prop}: {problem['message']}")
    if run.problem_total > len(lines):
        lines.append(_("… and %(n)s more.") % {"n": run.problem_total - len(lines)})
    return "\n".join(lines)
