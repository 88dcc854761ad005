from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Reader replies under letters, built on django-comments-xtd."""

    name = "comments"
    label = "comments"
    verbose_name = "Reader replies"
    default_auto_field = "django.db.models.BigAutoField"
