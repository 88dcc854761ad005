from comments.desk import queues
from comments.models import Reply, ReplyStatus
from guard.listings import NewestPanel


class HeldRepliesPanel(NewestPanel):
    """The dashboard's list of the newest replies awaiting moderation."""

    name = "held_replies"
    order = 50
    template_name = "comments/desk/held_panel.html"
    limit = 6
    inspect_url_name = "wagtailsnippets_comments_reply:inspect"
    list_url_name = "wagtailsnippets_comments_reply:list"

    def newest(self):
        return (
            Reply.objects.filter(status=ReplyStatus.PENDING)
            .prefetch_related("content_object")
            .order_by("-submit_date")
        )

    def count(self):
        return queues.held_count(self.request)

    def excerpt(self, reply):
        return queues.excerpt(reply, 18)
