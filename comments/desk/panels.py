from django.urls import reverse
from wagtail.admin.ui.components import Component

from comments.desk import queues
from comments.models import Reply, ReplyStatus


class HeldRepliesPanel(Component):
    """The dashboard's list of the newest replies awaiting moderation."""

    name = "held_replies"
    order = 50
    template_name = "comments/desk/held_panel.html"
    limit = 6

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        held = (
            Reply.objects.filter(status=ReplyStatus.PENDING)
            .prefetch_related("content_object")
            .order_by("-submit_date")[: self.limit]
        )
        return {
            "replies": [
                (
                    reply,
                    queues.excerpt(reply, 18),
                    reverse("wagtailsnippets_comments_reply:inspect", args=[reply.pk]),
                )
                for reply in held
            ],
            "count": queues.held_count(self.request),
            "queue_url": reverse("wagtailsnippets_comments_reply:list"),
        }
