from guard.listings import NewestPanel
from mailbag.inbox.filters import new_count
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
