from django.urls import path

from events.views import feeds

urlpatterns = [
    path("events/calendar.ics", feeds.public_calendar, name="events-calendar"),
    path("events/<int:pk>.ics", feeds.event_calendar, name="event-ics"),
    path("organisations/<slug:slug>/calendar.ics", feeds.organisation_calendar, name="organisation-calendar"),
    path("calendar/<str:token>.ics", feeds.personal_calendar, name="personal-calendar"),
]
