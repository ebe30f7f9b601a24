from django.urls import path

from events.views import calendars, feeds, pages

urlpatterns = [
    path("events/", pages.event_list, name="event-list"),
    path("events/new/", pages.event_edit, name="event-create"),
    path("events/calendar.ics", calendars.public_calendar, name="events-calendar"),
    path("events/<int:pk>/", pages.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", pages.event_edit, name="event-edit"),
    path("events/<int:pk>.ics", calendars.event_calendar, name="event-ics"),
    path("follow/<str:kind>/<str:key>/", pages.follow_toggle, name="follow-toggle"),
    path("organisations/<slug:slug>/calendar.ics", calendars.organisation_calendar, name="organisation-calendar"),
    path("calendar/<str:token>.ics", calendars.personal_calendar, name="personal-calendar"),
    path("organisations/<slug:slug>/feeds/", feeds.feed_list, name="organisation-feeds"),
    path("organisations/<slug:slug>/feeds/<int:pk>/", feeds.feed_detail, name="organisation-feed"),
    path("organisations/<slug:slug>/feeds/<int:pk>/refresh/", feeds.feed_refresh, name="organisation-feed-refresh"),
    path("organisations/<slug:slug>/feeds/<int:pk>/delete/", feeds.feed_delete, name="organisation-feed-delete"),
    path("organisations/<slug:slug>/imports/<int:pk>/", feeds.import_run_detail, name="organisation-import-run"),
]
