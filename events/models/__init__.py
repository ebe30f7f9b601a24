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
from events.models.occurrences import Occurrence

__all__ = [
    "AttendanceMode",
    "Event",
    "EventFollow",
    "EventKind",
    "EventStatus",
    "Feed",
    "Occurrence",
    "OrganisationFollow",
    "Origin",
    "Speaker",
    "ThemeFollow",
]
