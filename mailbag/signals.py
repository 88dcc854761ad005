"""mailbag listens; nobody listens to mailbag: a published draft answers its reader letter, and
the desk's erasure request (comments.signals) erases the reader's letters too, and its export
request adds them to the reader's copy."""

from wagtail.signals import page_published

from advice.models import LetterPage
from comments.signals import reader_erasure_requested, reader_export_requested
from mailbag import lifecycle


def on_letter_published(sender, instance, **kwargs):
    lifecycle.letter_published(instance)


def on_reader_erasure(sender, email, user=None, **kwargs):
    return lifecycle.erase_reader(email, user)


def on_reader_export(sender, email, user=None, **kwargs):
    return "reader_letters", lifecycle.export_reader(email, user)


def connect():
    page_published.connect(on_letter_published, sender=LetterPage, dispatch_uid="mailbag-published")
    reader_erasure_requested.connect(on_reader_erasure, dispatch_uid="mailbag-erasure")
    reader_export_requested.connect(on_reader_export, dispatch_uid="mailbag-export")
