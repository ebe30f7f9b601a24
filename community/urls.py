from django.urls import path

from community.feeds import StoryFeed
from community.views import discussions, members, notifications, organisations, search, stories

urlpatterns = [
    # /stories/ itself and each story are Wagtail pages (StoryIndexPage, PracticeStoryPage).
    path("stories/submit/", stories.story_submit, name="story-submit"),
    path("stories/feed/", StoryFeed(), name="story-feed"),
    path("stories/feed/<slug:theme>/", StoryFeed(), name="story-theme-feed"),
    path("stories/<int:pk>/edit/", stories.story_edit, name="story-edit"),
    path("stories/<int:pk>/discussion/", stories.story_discussion_post, name="story-discussion-post"),
    path("projects/<slug:slug>/", stories.project_detail, name="project-detail"),
    path("discussions/", discussions.discussion_index, name="discussions"),
    path("discussions/threads/<int:pk>/", discussions.thread_detail, name="thread-detail"),
    path("discussions/threads/<int:pk>/posts/", discussions.post_create, name="post-create"),
    path("discussions/threads/<int:pk>/follow/", discussions.thread_follow, name="thread-follow"),
    path("discussions/threads/<int:pk>/moderate/", discussions.thread_moderate, name="thread-moderate"),
    path("discussions/posts/<int:pk>/", discussions.post_permalink, name="post-permalink"),
    path("discussions/posts/<int:pk>/edit/", discussions.post_edit, name="post-edit"),
    path("discussions/posts/<int:pk>/delete/", discussions.post_delete, name="post-delete"),
    path("discussions/posts/<int:pk>/flag/", discussions.post_flag, name="post-flag"),
    path("discussions/posts/<int:pk>/hide/", discussions.post_hide, name="post-hide"),
    path("discussions/<slug:slug>/", discussions.category_detail, name="category-detail"),
    path("discussions/<slug:slug>/new/", discussions.thread_create, name="thread-create"),
    path("discussions/<slug:slug>/follow/", discussions.category_follow, name="category-follow"),
    path("search/", search.search, name="search"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_mark_read, name="notifications-read"),
    path(
        "notifications/unsubscribe/<str:token>/",
        notifications.notification_unsubscribe,
        name="notifications-unsubscribe",
    ),
    path("members/", members.member_list, name="member-list"),
    path("members/me/", members.me, name="member-me"),
    path("members/me/edit/", members.profile_edit, name="profile-edit"),
    path("members/me/calendar/", members.my_calendar, name="my-calendar"),
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
