from django.urls import path

from community import url_converters  # noqa: F401 - registers <id:…>
from events.views import calendars, discussion, feeds, pages, transcripts

urlpatterns = [
    path("events/", pages.event_list, name="event-list"),
    path("events/new/", pages.event_edit, name="event-create"),
    path("events/calendar.ics", calendars.public_calendar, name="events-calendar"),
    path("events/<id:pk>/", pages.event_detail, name="event-detail"),
    path("events/<id:pk>/edit/", pages.event_edit, name="event-edit"),
    path("events/<id:pk>.ics", calendars.event_calendar, name="event-ics"),
    path("events/<id:pk>/transcript.md", transcripts.transcript_export, {"fmt": "md"}, name="event-transcript-md"),
    path(
        "events/<id:pk>/transcript.json", transcripts.transcript_export, {"fmt": "json"}, name="event-transcript-json"
    ),
    path("events/<id:pk>/discussion/", discussion.event_discussion_post, name="event-discussion-post"),
    path("follow/<str:kind>/<str:key>/", pages.follow_toggle, name="follow-toggle"),
    path("organisations/<slug:slug>/calendar.ics", calendars.organisation_calendar, name="organisation-calendar"),
    path("calendar/<str:token>.ics", calendars.personal_calendar, name="personal-calendar"),
    path("organisations/<slug:slug>/feeds/", feeds.feed_list, name="organisation-feeds"),
    path("organisations/<slug:slug>/feeds/<int:pk>/", feeds.feed_detail, name="organisation-feed"),
    path("organisations/<slug:slug>/feeds/<int:pk>/refresh/", feeds.feed_refresh, name="organisation-feed-refresh"),
    path("organisations/<slug:slug>/feeds/<int:pk>/delete/", feeds.feed_delete, name="organisation-feed-delete"),
    path("organisations/<slug:slug>/imports/<int:pk>/", feeds.import_run_detail, name="organisation-import-run"),
]
