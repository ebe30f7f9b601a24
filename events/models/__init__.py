from events.models.events import (
    AttendanceMode,
    Event,
    EventKind,
    EventStatus,
    Origin,
    Speaker,
)
from events.models.feeds import Feed, ImportedBlock, ImportOutcome, ImportRun, ImportSource
from events.models.follows import EventFollow, OrganisationFollow, ThemeFollow

__all__ = [
    "AttendanceMode",
    "Event",
    "EventFollow",
    "EventKind",
    "EventStatus",
    "Feed",
    "ImportOutcome",
    "ImportRun",
    "ImportSource",
    "ImportedBlock",
    "OrganisationFollow",
    "Origin",
    "Speaker",
    "ThemeFollow",
]
