"""The inbox's panels elsewhere in the admin: the dashboard's newest letters, and the reader
letter shown in the editor of the draft letter made from it."""

from django.template.loader import render_to_string
from django.urls import reverse

from guard.listings import NewestPanel
from guard.permissions import can_see_addresses
from mailbag.inbox.filters import new_count
from mailbag.inbox.permissions import can_view
from mailbag.models import ReaderLetter, ReaderLetterStatus


class NewLettersPanel(NewestPanel):
    """The dashboard's newest new letters."""

    name = "new_reader_letters"
    order = 60
    template_name = "mailbag/inbox/panel.html"
    limit = 5
    inspect_url_name = "wagtailsnippets_mailbag_readerletter:inspect"
    list_url_name = "wagtailsnippets_mailbag_readerletter:list"

    def newest(self):
        return ReaderLetter.objects.filter(status=ReaderLetterStatus.NEW).order_by("-submitted_at")

    def count(self):
        return new_count(self.request)


def reader_letter_editor_panel(page, request):
    """In a letter's editor (advice's "letter" editor slot): the reader letter its draft was
    made from, as sent, with a link to it in the inbox; its address only for those who may see
    readers' addresses. Nothing on other letters, or for users who may not view the inbox."""
    if not can_view(request.user):
        return None
    reader_letter = (
        ReaderLetter.objects.filter(draft_id=page.pk).select_related("column", "topic").first()
    )
    if reader_letter is None:
        return None
    html = render_to_string(
        "mailbag/inbox/editor_panel.html",
        {
            "reader_letter": reader_letter,
            "show_address": can_see_addresses(request.user) and bool(reader_letter.email),
            "inbox_url": reverse(
                "wagtailsnippets_mailbag_readerletter:inspect", args=[reader_letter.pk]
            ),
        },
    )
    return "Reader’s letter", html
