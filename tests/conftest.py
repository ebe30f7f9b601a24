import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests land in a throw-away folder, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
