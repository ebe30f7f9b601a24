from django.urls import path

from events.views import calendars, discussion, pages

urlpatterns = [
    path("events/", pages.event_list, name="event-list"),
    path("events/new/", pages.event_edit, name="event-create"),
    path("events/calendar.ics", calendars.public_calendar, name="events-calendar"),
    path("events/<int:pk>/", pages.event_detail, name="event-detail"),
    path("events/<int:pk>/discussion/", discussion.event_discussion_post, name="event-discussion-post"),
    path("events/<int:pk>/edit/", pages.event_edit, name="event-edit"),
    path("events/<int:pk>.ics", calendars.event_calendar, name="event-ics"),
    path("follow/<str:kind>/<str:key>/", pages.follow_toggle, name="follow-toggle"),
    path("organisations/<slug:slug>/calendar.ics", calendars.organisation_calendar, name="organisation-calendar"),
    path("calendar/<str:token>.ics", calendars.personal_calendar, name="personal-calendar"),
]
