import os

import pytest
from django.core.cache import cache
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

# Property tests explore new examples on every local run; CI (.ci/run sets HYPOTHESIS_PROFILE=ci)
# replays a fixed sequence, so main stays green for the reason it was green.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """MD5 hashes for speed; a test-only choice, so it lives here and not in the settings."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits (allauth's, DRF's) count in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests land in a throw-away folder, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep what the migrations wrote (Wagtail's root page and site, locales, groups, the
    moderation workflow) before any transactional test flushes it: the browser tests restore it
    (tests/e2e/conftest.py). Django's own ``serialized_rollback`` cannot be mixed with
    transactional tests that don't use it (their flush re-creates content types, and the restore
    then collides with them)."""
    from django.db import connection, connections

    with django_db_blocker.unblock():
        connections.migrated_data = connection.creation.serialize_db_to_string()
