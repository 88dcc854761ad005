from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Replies, built on django-comments-xtd: a capability other apps' pages use. It
    imports none of them; they register their page models in comments.targets."""

    name = "comments"
    label = "comments"
    verbose_name = "Replies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save
        from wagtail.permissions import register_permission_policy

        from comments import counts
        from comments.desk.permissions import ModeratorPermissionPolicy
        from comments.models import RejectionReason, Reply
        from comments.signals import replies_changed
        from guard.models import BlockedSender

        # xtd copies a parent's is_public onto every child on each save, which silently
        # published held replies under an edited approved one. Visibility is ours: a held
        # or removed parent hides its subtree when pages render (docs/replies.md lists what
        # we keep of xtd and what we replace).
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender="comments.Reply")
        # Only moderators use the desk; they may view and change replies (never add or delete
        # one: erasure has its own, logged, path), and manage reasons and blocks fully.
        register_permission_policy(
            Reply, ModeratorPermissionPolicy(Reply, actions=("view", "change"))
        )
        register_permission_policy(RejectionReason, ModeratorPermissionPolicy(RejectionReason))
        register_permission_policy(BlockedSender, ModeratorPermissionPolicy(BlockedSender))
        # The cards' stored count of the replies readers see follows what they see, as the
        # page cache does (advice.signals).
        replies_changed.connect(counts.replies_changed_on, sender=Reply, dispatch_uid="counts")
