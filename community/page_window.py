"""Which page numbers a pagination bar shows: the first, the last and two either side of the
current one, with gaps between. Computed, not found by looping over every page in the
template, which made a listing's cost grow with its number of pages (250 at 5,000 stories)."""

from __future__ import annotations


def page_window(*, number: int, last: int, reach: int = 2) -> list[int | None]:
    """Page numbers to link, in order, with ``None`` where pages are left out."""
    shown = sorted({1, last, *range(max(1, number - reach), min(last, number + reach) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window
