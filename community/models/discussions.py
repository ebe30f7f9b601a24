"""Discussions: categories → threads → posts, with flags, follows and read markers.

A thread stands in a category, or is the discussion of one story, or of an event (the
event points at its thread from the events side, so community never knows events).
Posts are numbered 1, 2, 3… within their thread, under a lock on the thread row: a page of
a 1,000-post thread is a range on (thread, number), and a permalink's page is arithmetic.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from community.url_cache import object_url

POST_MAX_CHARS = 10_000
POSTS_PER_PAGE = 50


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("discussion category")
        verbose_name_plural = _("discussion categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("category-detail", kwargs={"slug": self.slug})


class ThreadQuerySet(models.QuerySet):
    def visible(self) -> ThreadQuerySet:
        return self.filter(hidden_at__isnull=True)


class Thread(models.Model):
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="threads", verbose_name=_("category")
    )
    story = models.OneToOneField(
        "community.PracticeStoryPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion",
        verbose_name=_("story"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="threads_started"
    )
    created = models.DateTimeField(auto_now_add=True)
    last_posted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    post_count = models.PositiveIntegerField(default=0, help_text="Posts ever numbered, deleted ones included.")
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_posted_at", "-id"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(story__isnull=True), name="thread_in_category_or_on_story"
            )
        ]
        indexes = [models.Index(fields=["category", "-is_pinned", "-last_posted_at"], name="thread_category_recent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("thread-detail", kwargs={"pk": self.pk})


class PostQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def shown(self) -> PostQuerySet:
        """Posts readers see in place (deleted and hidden ones leave a marker, not their text)."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class PostPlace:
    """Where a post stands in its thread, from its ``number``: its page and its anchor (the
    model and the thread page's light rows, ``community.post_fragments.ShownPost``, share it)."""

    @property
    def page_number(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1

    @property
    def anchor(self) -> str:
        return f"post-{self.number}"


class Post(PostPlace, index.Indexed, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts")
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    body_markdown = models.TextField(_("post"), max_length=POST_MAX_CHARS)
    body_html = models.TextField(editable=False, help_text="Rendered from Markdown and sanitised on write.")
    body_text = models.TextField(editable=False, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PostQuerySet.as_manager()

    # Wagtail search (PostgreSQL full text on PostgreSQL) finds posts for /search/.
    search_fields = [
        index.SearchField("body_text"),
        index.FilterField("thread_id"),
        index.FilterField("deleted_at"),
        index.FilterField("hidden_at"),
    ]

    class Meta:
        ordering = ["thread", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["thread", "number"], name="unique_post_number")]
        indexes = [models.Index(fields=["author", "-created"], name="post_author_recent")]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self) -> str:
        return object_url("post-permalink", "pk", self.pk)


class PostVersion(models.Model):
    """An earlier text of an edited post, kept for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="versions")
    body_markdown = models.TextField()
    created = models.DateTimeField(help_text="When this text was written.")

    class Meta:
        ordering = ["post", "-created"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created:%Y-%m-%d %H:%M})"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Harassment or abuse")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["resolved_at", "-created"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=Q(resolved_at__isnull=True), name="one_open_flag_per_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post}"

    def post_excerpt(self) -> str:
        return self.post.body_text[:140]

    post_excerpt.short_description = _("post")


class ThreadFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="unique_thread_follow")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread}"


class CategoryFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_follows")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="unique_category_follow")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.category}"


class ThreadRead(models.Model):
    """How far a member has read a thread: posts numbered above this are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="unique_thread_read")]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread} to #{self.last_read_number}"
