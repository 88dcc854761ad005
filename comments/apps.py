from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Reader replies under letters, built on django-comments-xtd."""

    name = "comments"
    label = "comments"
    verbose_name = "Reader replies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save
        from django_comments_xtd.moderation import moderator

        from comments import notifications
        from comments.moderation import ReplyModerator

        # xtd copies a parent's is_public onto every child on each save, which silently
        # published held replies under an edited approved one (DESIGN.md §4b). Visibility is
        # ours: a held or removed parent hides its subtree when pages render.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender="comments.Reply")
        moderator.register(self.apps.get_model("advice", "LetterPage"), ReplyModerator)
        notifications.connect()
