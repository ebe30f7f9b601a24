from community.models.discussions import (
    Category,
    CategoryFollow,
    Flag,
    FlagReason,
    Post,
    PostVersion,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from community.models.notifications import Notification, NotificationEmail, NotificationKind
from community.models.organisations import ApiKey, Invitation, Membership, Organisation, OrganisationType, Role
from community.models.pages import HomePage
from community.models.privacy import AuditAction, AuditEntry, DataExport, ExportState, LegalKind, LegalText
from community.models.projects import Project, ProjectPartner, ProjectStatus
from community.models.stories import Licence, PracticeStoryPage, StoryCountry, StoryIndexPage
from community.models.taxonomy import Language, Sector, TargetGroup, Theme
from community.models.tokens import PersonalToken
from community.models.users import Profile, User, Visibility

__all__ = [
    "ApiKey",
    "AuditAction",
    "AuditEntry",
    "Category",
    "CategoryFollow",
    "DataExport",
    "ExportState",
    "Flag",
    "FlagReason",
    "HomePage",
    "Invitation",
    "Language",
    "LegalKind",
    "LegalText",
    "Licence",
    "Membership",
    "Notification",
    "NotificationEmail",
    "NotificationKind",
    "Organisation",
    "OrganisationType",
    "PersonalToken",
    "Post",
    "PostVersion",
    "PracticeStoryPage",
    "Profile",
    "Project",
    "ProjectPartner",
    "ProjectStatus",
    "Role",
    "Sector",
    "StoryCountry",
    "StoryIndexPage",
    "TargetGroup",
    "Theme",
    "Thread",
    "ThreadFollow",
    "ThreadRead",
    "User",
    "Visibility",
]
