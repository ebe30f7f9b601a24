from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.views import api_not_found
from api.views.events import ConferenceViewSet, EventViewSet
from api.views.organisations import OrganisationViewSet
from api.views.partner import PartnerCalendarUploadView, PartnerEventViewSet, PartnerFeedViewSet, PartnerRunView
from api.views.stories import ProjectViewSet, StoryViewSet
from api.views.threads import ThreadViewSet
from api.views.transcript import event_transcript
from community import url_converters  # noqa: F401 - registers <id:…>, the event viewsets' lookup

# Route names carry an "api-" prefix: "event-detail" is the event's page.
# Path converters, not regexes: the event lookups are bounded ids (<id:pk>), so a
# 23-digit id is a 404 problem rather than a database overflow.
router = SimpleRouter(use_regex_path=False)
router.register("events", EventViewSet, basename="api-event")
router.register("conferences", ConferenceViewSet, basename="api-conference")
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("partner/events", PartnerEventViewSet, basename="api-partner-event")
router.register("partner/feeds", PartnerFeedViewSet, basename="api-partner-feed")
partner_patterns = [
    path("partner/ics/", PartnerCalendarUploadView.as_view(), name="api-partner-ics"),
    path("partner/runs/<id:pk>/", PartnerRunView.as_view(), name="api-partner-run"),
]
router.register("stories", StoryViewSet, basename="api-story")
router.register("projects", ProjectViewSet, basename="api-project")
router.register("threads", ThreadViewSet, basename="api-thread")

# The schema describes this API only, not other DRF views in the project (Wagtail's
# admin API); the prefix repeats where config/urls.py mounts this module.
transcript_patterns = [path("events/<id:pk>/transcript/", event_transcript, name="api-event-transcript")]
schema_patterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/", include(transcript_patterns)),
    path("api/v1/", include(partner_patterns)),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(patterns=schema_patterns), name="api-schema"),
    # Swagger UI and ReDoc with their assets from this site (drf-spectacular-sidecar), never a CDN.
    # The split view serves Swagger UI's start-up script as a file (?script): no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path(
        "docs/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    path("", include(transcript_patterns)),
    path("", include(router.urls)),
    *partner_patterns,
    re_path(r"", api_not_found),  # keep last: any other /api/v1/ path is a 404 problem
]
