"""community.url_cache.object_url gives exactly what reverse() gives, for ids and slugs."""

import pytest
from django.test import override_settings
from django.urls import path, reverse
from django.utils import translation

from community.url_cache import object_url


@pytest.mark.parametrize(
    ("name", "kwarg", "values"),
    [
        ("post-permalink", "pk", [1, 42, 9_223_372_036_854_775_807]),
        ("thread-detail", "pk", [7]),
        ("event-detail", "pk", [3, 123456789]),
        ("member-detail", "slug", ["lucia", "ana-maria_2", "x"]),
    ],
)
def test_object_url_is_reverse(name, kwarg, values):
    for value in values:
        assert object_url(name, kwarg, value) == reverse(name, kwargs={kwarg: value})


def test_object_url_follows_the_script_prefix_and_language():
    from django.urls import set_script_prefix

    set_script_prefix("/praxis/")
    try:
        with translation.override("es"):
            assert object_url("member-detail", "slug", "ana") == reverse("member-detail", kwargs={"slug": "ana"})
            assert object_url("member-detail", "slug", "ana").startswith("/praxis/")
    finally:
        set_script_prefix("/")
    assert object_url("member-detail", "slug", "ana") == "/members/ana/"


urlpatterns = [path("people/<slug:slug>/", lambda request, slug: None, name="member-detail")]


def test_object_url_follows_the_urlconf():
    assert object_url("member-detail", "slug", "ana") == "/members/ana/"
    with override_settings(ROOT_URLCONF=__name__):
        assert object_url("member-detail", "slug", "ana") == "/people/ana/"
