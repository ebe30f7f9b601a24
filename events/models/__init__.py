from events.models.discussions import EventDiscussion
from events.models.events import (
    AttendanceMode,
    Event,
    EventKind,
    EventStatus,
    Origin,
    Speaker,
)
from events.models.feeds import Feed
from events.models.follows import EventFollow, OrganisationFollow, ThemeFollow

__all__ = [
    "AttendanceMode",
    "Event",
    "EventDiscussion",
    "EventFollow",
    "EventKind",
    "EventStatus",
    "Feed",
    "OrganisationFollow",
    "Origin",
    "Speaker",
    "ThemeFollow",
]
