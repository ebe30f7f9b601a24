from events.models.chat import (
    ChatMessage,
    ChatModerationLog,
    ChatMute,
    ChatRoom,
    ModerationAction,
    QuestionVote,
    RoomOverride,
)
from events.models.discussions import EventDiscussion
from events.models.events import (
    AttendanceMode,
    Event,
    EventKind,
    EventStatus,
    Origin,
    Speaker,
)
from events.models.feeds import Feed, ImportedBlock, ImportOutcome, ImportRun, ImportSource, PendingUpload
from events.models.follows import EventFollow, OrganisationFollow, ThemeFollow
from events.models.occurrences import Occurrence
from events.models.versions import CalendarCounter
from events.models.vevent_blocks import VeventBlock

__all__ = [
    "AttendanceMode",
    "CalendarCounter",
    "ChatMessage",
    "ChatModerationLog",
    "ChatMute",
    "ChatRoom",
    "Event",
    "EventDiscussion",
    "EventFollow",
    "EventKind",
    "EventStatus",
    "Feed",
    "ImportOutcome",
    "ImportRun",
    "ImportSource",
    "ImportedBlock",
    "ModerationAction",
    "Occurrence",
    "OrganisationFollow",
    "Origin",
    "PendingUpload",
    "QuestionVote",
    "RoomOverride",
    "Speaker",
    "ThemeFollow",
    "VeventBlock",
]
