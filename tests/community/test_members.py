import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from community.members import rotate_calendar_token
from community.models import Profile
from tests.factories import ProfileFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png(size=(10, 10)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, "PNG")
    return buf.getvalue()


def test_directory_hides_members_only_profiles_from_visitors(client):
    ProfileFactory(display_name="Public Person", visibility="public")
    ProfileFactory(display_name="Private Person", visibility="members")
    names = [p.display_name for p in client.get("/members/").context["page_obj"]]
    assert names == ["Public Person"]


def test_directory_shows_members_only_profiles_to_signed_in_members(client):
    ProfileFactory(display_name="Private Person", visibility="members")
    viewer = ProfileFactory(display_name="Viewer")
    client.force_login(viewer.user)
    names = [p.display_name for p in client.get("/members/").context["page_obj"]]
    assert names == ["Private Person", "Viewer"]


def test_members_only_profile_page_is_404_for_visitors(client):
    profile = ProfileFactory(visibility="members")
    assert client.get(f"/members/{profile.slug}/").status_code == 404


def test_profile_page_never_shows_the_email_address(client):
    profile = ProfileFactory(bio="Hello", user=UserFactory(email="secret-address@example.org"))
    html = client.get(f"/members/{profile.slug}/").content.decode()
    assert "secret-address" not in html


def test_profile_bio_is_sanitised_on_display(client):
    profile = ProfileFactory(bio='<p>Hi</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>')
    html = client.get(f"/members/{profile.slug}/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_directory_filters_by_theme_and_country(client):
    theme = ThemeFactory(slug="inclusion", name="Inclusion")
    match = ProfileFactory(display_name="Match", country="SI")
    match.themes.add(theme)
    ProfileFactory(display_name="Other country", country="ES").themes.add(theme)
    ProfileFactory(display_name="No theme", country="SI")
    names = [p.display_name for p in client.get("/members/?theme=inclusion&country=SI").context["page_obj"]]
    assert names == ["Match"]


def test_directory_with_unknown_filter_values_answers_400_with_messages(client):
    response = client.get("/members/?country=XX&theme=no-such-theme")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"country", "theme"}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_is_the_same_at_1_and_at_24_rows(client):
    theme = ThemeFactory()
    ProfileFactory().themes.add(theme)
    at_one = _queries(client, "/members/")
    for _ in range(23):
        ProfileFactory().themes.add(theme)
    assert len(client.get("/members/").context["page_obj"]) == 24
    assert _queries(client, "/members/") == at_one


def test_profile_form_refuses_oversized_bio_with_its_limit(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    data = {"display_name": "Kept Name", "bio": "x" * 5001, "visibility": "public"}
    response = client.post("/members/me/edit/", data)
    assert response.status_code == 400
    assert "5000" in " ".join(response.context["form"].errors["bio"])
    assert 'value="Kept Name"' in response.content.decode()
    profile.refresh_from_db()
    assert profile.bio == ""


def test_profile_form_refuses_a_non_image_avatar(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    upload = SimpleUploadedFile("avatar.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post("/members/me/edit/", {"display_name": "N", "visibility": "public", "avatar": upload})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["avatar"]


def test_profile_form_refuses_a_25_mb_avatar_with_a_message(client, settings):
    profile = ProfileFactory()
    client.force_login(profile.user)
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (25 * 1024 * 1024), content_type="image/png")
    response = client.post("/members/me/edit/", {"display_name": "N", "visibility": "public", "avatar": big})
    assert response.status_code == 400
    assert "limit" in response.context["form"].errors["avatar"][0]


def test_profile_form_accepts_a_real_image_and_saves_choices(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    theme = ThemeFactory()
    upload = SimpleUploadedFile("a.png", _png(), content_type="image/png")
    response = client.post(
        "/members/me/edit/",
        {
            "display_name": "New",
            "avatar": upload,
            "themes": [theme.pk],
            "country": "SI",
            "languages": [],
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    # Visibility moved to the privacy page (tests/community/test_privacy_choices.py): not changed here.
    assert (profile.display_name, profile.visibility, profile.country.code) == ("New", "public", "SI")
    assert list(profile.themes.all()) == [theme]
    assert profile.avatar.name.startswith("avatars/")


def test_profile_form_refuses_unknown_country_and_language(client):
    profile = ProfileFactory()
    client.force_login(profile.user)
    response = client.post(
        "/members/me/edit/", {"display_name": "N", "visibility": "public", "country": "ZZ", "languages": ["9999"]}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"country", "languages"}


def test_rotating_the_calendar_token_gives_a_new_long_random_token(client):
    profile, other = ProfileFactory(), ProfileFactory()
    old = profile.calendar_token
    new = rotate_calendar_token(profile=profile)
    assert new != old
    assert len(new) >= 40
    assert other.calendar_token not in (old, new)
    assert Profile.objects.get(pk=profile.pk).calendar_token == new
