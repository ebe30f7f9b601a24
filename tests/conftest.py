import pytest
from django.core.cache import cache
from django.test import override_settings


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
