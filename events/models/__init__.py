from events.models.chat import (
    ChatMessage,
    ChatModerationLog,
    ChatMute,
    ChatRoom,
    ModerationAction,
    QuestionVote,
    RoomOverride,
)
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
    "ChatMessage",
    "ChatModerationLog",
    "ChatMute",
    "ChatRoom",
    "Event",
    "EventFollow",
    "EventKind",
    "EventStatus",
    "Feed",
    "ModerationAction",
    "OrganisationFollow",
    "Origin",
    "QuestionVote",
    "RoomOverride",
    "Speaker",
    "ThemeFollow",
]
