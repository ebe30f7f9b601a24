"""The site's URLconf plus views that fail, for the error-page tests (tests/test_error_pages.py)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400  # noqa: F401 - handler400 is read from here
from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


def read_form(request):
    return HttpResponse(str(len(request.POST)))


urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("api/v1/form/", read_form),
    *site_urlpatterns,
]
