"""The desk's place in the admin: one "Replies" menu group holding the queues, the
rejection reasons, the block list, the erasure form and the reply policy."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.auth import user_passes_test
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.sidebar import SubMenuItem as SubMenuItemComponent
from wagtail.contrib.settings.registry import SettingMenuItem
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from comments.desk import queues, views
from comments.desk.forms import ReplyEditForm
from comments.models import RejectionReason, Reply, ReplyPolicy
from comments.permissions import MODERATE, can_moderate
from guard.models import BlockedSender
from guard.permissions import can_see_addresses


def with_held_count(label, request):
    count = queues.held_count(request)
    return f"{label} ({count} waiting)" if count else label


class HeldCountMenuItem(MenuItem):
    """Wagtail's menu has no badges: the number of held replies goes into the label. Menu
    items are shared by all requests, so the label is given to the rendered component only."""

    def is_shown(self, request):
        return can_moderate(request.user)

    def render_component(self, request):
        return LinkMenuItemComponent(
            self.name,
            with_held_count(self.label, request),
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class HeldCountSubmenuMenuItem(SubmenuMenuItem):
    def render_component(self, request):
        return SubMenuItemComponent(
            self.name,
            with_held_count(self.label, request),
            self.menu.render_component(request),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


class ModeratorChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet chooser asks for no permission before it lists, searches or returns
    objects (only its creation form does), and these models hold readers' emails and
    addresses: every chooser view is for moderators only. Others get Wagtail's "permission
    denied" (a redirect with its message, or 403 to the modal's XMLHttpRequest)."""

    def construct_view(self, view_class, **kwargs):
        return user_passes_test(can_moderate)(super().construct_view(view_class, **kwargs))


class DeskViewSet(SnippetViewSet):
    """Desk models are not usage-tracked (a reply references nothing an editor looks up), and
    their Django add/change/delete permissions mean nothing here (the desk asks for
    can_moderate only), so they are kept out of the group editor. Their choosers are for
    moderators only."""

    add_to_reference_index = False
    chooser_viewset_class = ModeratorChooserViewSet

    def get_permissions_to_register(self):
        return Permission.objects.none()


class ReplyViewSet(DeskViewSet):
    model = Reply
    icon = "comment"
    menu_label = "Moderation queue"
    menu_name = "moderation-queue"
    index_view_class = views.ReplyIndexView
    inspect_view_class = views.ReplyDetailView
    inspect_view_enabled = True
    index_template_name = "comments/desk/index.html"
    inspect_template_name = "comments/desk/detail.html"
    index_results_template_name = "guard/index_results.html"  # no role="alert" heading
    list_per_page = 50
    # Moderators may correct a reply (say, to cut out someone's phone number): the text is
    # sanitised again on save, and the edit is logged.
    edit_handler = ObjectList(
        [FieldPanel("user_name"), FieldPanel("comment")], base_form_class=ReplyEditForm
    )

    @cached_property
    def menu_item_class(self):
        return HeldCountMenuItem

    def get_permissions_to_register(self):
        """Offer "Can moderate comments" in Wagtail's group editor: that is the desk's key."""
        app_label, codename = MODERATE.split(".")
        return Permission.objects.filter(content_type__app_label=app_label, codename=codename)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            moderate_url_name=self.get_url_name("moderate"),
            block_url_name=self.get_url_name("block"),
            blocked_index_url_name="wagtailsnippets_guard_blockedsender:list",
            **kwargs,
        )

    @property
    def moderate_view(self):
        return views.ModerateView.as_view(
            index_url_name=self.get_url_name("list"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    @property
    def block_view(self):
        return views.BlockView.as_view(inspect_url_name=self.get_url_name("inspect"))

    @property
    def erase_view(self):
        return views.EraseView.as_view(index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("moderate/<int:pk>/", self.moderate_view, name="moderate"),
            path("block/<int:pk>/", self.block_view, name="block"),
            path("erase/", self.erase_view, name="erase"),
        ]


class RejectionReasonViewSet(DeskViewSet):
    model = RejectionReason
    icon = "list-ul"
    menu_label = "Rejection reasons"
    list_display = ["text", "sort_order"]
    panels = ["text", "sort_order"]
    ordering = ["sort_order", "text"]


class BlockedSenderViewSet(DeskViewSet):
    model = BlockedSender
    icon = "cross"
    menu_label = "Blocked addresses"
    list_display = ["value", "kind", "action", "expires_at", "reason", "created_at"]
    list_filter = ["kind", "action"]
    search_fields = ["value", "reason"]
    search_backend_name = None
    panels = ["kind", "value", "action", "expires_at", "reason"]

    def get_queryset(self, request):
        return BlockedSender.objects.select_related("created_by")


class ErasureMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user) and can_see_addresses(request.user)


class RepliesGroup(SnippetViewSetGroup):
    menu_label = "Replies"
    menu_name = "replies"
    menu_icon = "comment"
    menu_order = 250
    items = (ReplyViewSet, RejectionReasonViewSet, BlockedSenderViewSet)

    def get_submenu_items(self):
        """The viewsets' items, then two plain links: the erasure form and the policy (the
        policy's "change" permission decides whether that link shows)."""
        items = super().get_submenu_items()
        order = len(items) + 1
        items.append(
            ErasureMenuItem(
                "Erase a reader’s replies",
                reverse("wagtailsnippets_comments_reply:erase"),
                name="erase-reader",
                icon_name="bin",
                order=order,
            )
        )
        policy = SettingMenuItem(ReplyPolicy, icon="cog", name="reply-policy", order=order + 1)
        policy.label = "Reply policy"
        items.append(policy)
        return items

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        item.__class__ = HeldCountSubmenuMenuItem
        item.classname = "desk-menu"  # lets the label wrap: the count must stay visible
        return item
