from django.conf import settings
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.views import api_docs, api_not_found
from api.views.events import ConferenceViewSet, EventViewSet
from api.views.organisations import OrganisationViewSet
from api.views.stories import ProjectViewSet, StoryViewSet
from api.views.threads import ThreadViewSet

# Route names carry an "api-" prefix: "event-detail" is the event's page.
router = SimpleRouter()
router.register("events", EventViewSet, basename="api-event")
router.register("conferences", ConferenceViewSet, basename="api-conference")
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("stories", StoryViewSet, basename="api-story")
router.register("projects", ProjectViewSet, basename="api-project")
router.register("threads", ThreadViewSet, basename="api-thread")

# The schema describes this API only, not other DRF views in the project (Wagtail's
# admin API); the prefix repeats where config/urls.py mounts this module.
schema_patterns = [path("api/v1/", include(router.urls))]

# Swagger UI only when its assets are served from here (drf-spectacular-sidecar, with
# SWAGGER_UI_DIST = "SIDECAR"); never from a CDN. Otherwise a plain, script-free reference.
if "drf_spectacular_sidecar" in settings.INSTALLED_APPS:
    docs_view = SpectacularSwaggerView.as_view(url_name="api-schema")
else:
    docs_view = api_docs

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(patterns=schema_patterns), name="api-schema"),
    path("docs/", docs_view, name="api-docs"),
    path("", include(router.urls)),
    re_path(r"", api_not_found),  # keep last: any other /api/v1/ path is a 404 problem
]
