from django.urls import path

from community.views import members, organisations, sections

urlpatterns = [
    path("stories/", sections.section, {"name": "stories"}, name="stories"),
    path("discussions/", sections.section, {"name": "discussions"}, name="discussions"),
    path("members/", members.member_list, name="member-list"),
    path("members/me/", members.me, name="member-me"),
    path("members/me/edit/", members.profile_edit, name="profile-edit"),
    path("members/me/calendar-token/", members.calendar_token_rotate, name="calendar-token-rotate"),
    path("members/<slug:slug>/", members.member_detail, name="member-detail"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/members/", organisations.organisation_members, name="organisation-members"),
    path(
        "organisations/<slug:slug>/members/<int:pk>/",
        organisations.membership_update,
        name="organisation-membership-update",
    ),
    path("organisations/<slug:slug>/api-keys/", organisations.organisation_api_keys, name="organisation-api-keys"),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation-accept"),
]
