"""The Wagtail dashboard wears Praxis's name and mark, not Wagtail's."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_is_branded_praxis(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    ProfileFactory(user=user)
    client.force_login(user)
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    logo = soup.find("template", attrs={"data-wagtail-sidebar-branding-logo": True})
    assert "img/favicon" in logo.decode_contents()
    assert "Praxis: editing and moderation" in soup.get_text()
