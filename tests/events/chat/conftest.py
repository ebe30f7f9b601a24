import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db import connections


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _close_consumer_connections():
    """Consumers reach the database from asgiref's worker thread; close its connection after
    each test so PostgreSQL lets pytest-django drop the test database at the end."""
    yield
    database_sync_to_async.single_thread_executor.submit(connections.close_all).result()
