from community.models.organisations import ApiKey, Invitation, Membership, Organisation, OrganisationType, Role
from community.models.pages import HomePage
from community.models.projects import Project, ProjectPartner
from community.models.taxonomy import Language, Sector, Theme
from community.models.users import Profile, User, Visibility

__all__ = [
    "ApiKey",
    "HomePage",
    "Invitation",
    "Language",
    "Membership",
    "Organisation",
    "OrganisationType",
    "Profile",
    "Project",
    "ProjectPartner",
    "Role",
    "Sector",
    "Theme",
    "User",
    "Visibility",
]
