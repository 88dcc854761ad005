"""The inbox's place in the admin: "Reader letters" in the menu, its label carrying the number
of new letters, and the chooser, which lists letters by pen name and date, and only to users
who may view letters."""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.auth import user_passes_test
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from mailbag.inbox.filters import new_count
from mailbag.inbox.permissions import can_view
from mailbag.inbox.views import ActView, ReaderLetterIndexView, ReaderLetterInspectView
from mailbag.models import ReaderLetter


class InboxChooserViewSet(SnippetChooserViewSet):
    """Wagtail's snippet chooser asks for no permission before listing: letters are for those
    who may view them. It lists str(letter): pen name and date, never the address."""

    def construct_view(self, view_class, **kwargs):
        return user_passes_test(can_view)(super().construct_view(view_class, **kwargs))


class NewCountMenuItem(MenuItem):
    """The menu label carries the number of new letters (given to the rendered component
    only: menu items are shared by every request)."""

    def is_shown(self, request):
        return can_view(request.user)

    def render_component(self, request):
        count = new_count(request)
        label = f"{self.label} ({count} new)" if count else self.label
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            # The admin's global stylesheet (static/css/desk.css) lets this label wrap, so
            # the count is never cut off.
            classname=f"{self.classname} desk-menu".strip(),
            attrs=self.attrs,
        )


class ReaderLetterViewSet(SnippetViewSet):
    model = ReaderLetter
    icon = "mail"
    menu_label = "Reader letters"
    menu_name = "reader-letters"
    menu_order = 240
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = ReaderLetterIndexView
    inspect_view_class = ReaderLetterInspectView
    inspect_view_enabled = True
    index_template_name = "mailbag/inbox/index.html"
    inspect_template_name = "mailbag/inbox/detail.html"
    index_results_template_name = "guard/index_results.html"  # no role="alert" heading
    chooser_viewset_class = InboxChooserViewSet
    list_per_page = 50
    # Only where its draft goes and its topic: the reader's text is never edited.
    panels = ["topic", "column"]

    @cached_property
    def menu_item_class(self):
        return NewCountMenuItem

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(act_url_name=self.get_url_name("act"), **kwargs)

    @property
    def act_view(self):
        return ActView.as_view(inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("act/<int:pk>/", self.act_view, name="act"),
        ]
