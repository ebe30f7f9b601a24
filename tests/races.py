"""Two writers at once, in two real database connections (PostgreSQL: SQLite serialises
write transactions, so there is no race to test there).

The first change runs and holds its transaction open until the second one is either
finished (no lock: both acted on what they read) or is seen waiting for a lock in
pg_stat_activity (the lock works); then the first commits.
"""

import threading
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction


def someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def race(first, second, *, expected: tuple[type[Exception], ...] = (ValidationError, PermissionDenied)) -> list[str]:
    """Run ``first`` and ``second`` in two connections, ``second`` while ``first`` is uncommitted;
    each outcome is "changed" or the name of the ``expected`` exception it raised."""
    outcomes: dict[str, str] = {}
    first_done, second_done = threading.Event(), threading.Event()

    def run(name, change, before_commit=None):
        try:
            with transaction.atomic():
                change()
                if before_commit:
                    before_commit()
            outcomes[name] = "changed"
        except expected as exc:
            outcomes[name] = type(exc).__name__
        finally:
            connection.close()

    def hold_until_the_second_is_done_or_blocked():
        first_done.set()
        deadline = time.monotonic() + 30
        while not second_done.is_set() and not someone_waits_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.01)

    def second_after_first():
        first_done.wait(30)
        try:
            run("second", second)
        finally:
            second_done.set()

    threads = [
        threading.Thread(target=run, args=("first", first, hold_until_the_second_is_done_or_blocked)),
        threading.Thread(target=second_after_first),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return [outcomes["first"], outcomes["second"]]
