"""Admin glue for the column: the Topic and Columnist snippets, grouped in one menu; the
page editor's side of the "Answer review" workflow (advice.review)."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from advice import review
from advice.models import Columnist, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    panels = ["name", FieldPanel("slug"), "description"]


class ColumnistViewSet(SnippetViewSet):
    model = Columnist
    icon = "user"
    list_display = ["name", "role", "user"]
    search_fields = ["name"]
    panels = ["name", "slug", "role", "bio", "portrait", "user"]


class ColumnMenuGroup(SnippetViewSetGroup):
    menu_label = "Column"
    menu_icon = "doc-full"
    menu_order = 200
    items = (TopicViewSet, ColumnistViewSet)


register_snippet(ColumnMenuGroup)

hooks.register("before_edit_page", review.approve_what_was_read)
hooks.register("after_edit_page", review.land_where_they_may_be)
hooks.register("construct_homepage_panels", review.offer_only_approvals_the_task_takes)
