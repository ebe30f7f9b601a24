from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community.views.errors import bad_request
from community.views.health import healthz
from community.views.sign_in import admin_sign_in, may_use_django_admin, may_use_wagtail_admin

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admins' own login forms are not served: every sign-in goes through allauth's
    # page and its rate limits (community/views/sign_in.py). Keep these before the admins.
    path("admin/login/", admin_sign_in, {"admin_home": "/admin/", "has_access": may_use_wagtail_admin}),
    path("django-admin/login/", admin_sign_in, {"admin_home": "/django-admin/", "has_access": may_use_django_admin}),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls")),
    path("", include("events.urls")),
    path("", include("community.urls")),
]

# 400s in the site's layout, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE as a clear 413.
# 403.html, 404.html and 500.html are rendered by Django's own handlers.
handler400 = bad_request

if settings.SERVE_MEDIA:
    # MEDIA_ROOT/private/ (members' data archives) is never served: those go out through a signed link.
    urlpatterns += [re_path(r"^media/(?!private/)(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's page tree (home page, stories) answers everything not matched above.
urlpatterns += [path("", include(wagtail_urls))]
