"""comments.lifecycle.imported: a reply brought from WordPress is stored with the status it
had there, logged like any new reply, and nobody is emailed."""

import datetime

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from comments import lifecycle
from comments.models import Reply, ReplyStatus


def test_an_imported_reply_is_stored_with_its_status_and_logged_without_email(
    make_letter, mailoutbox
):
    letter = make_letter("Is a dust bag enough?")
    fields = {
        "content_type": ContentType.objects.get_for_model(letter),
        "object_pk": str(letter.pk),
        "site_id": 1,
        "user_name": "Old Reader",
        "user_email": "old@example.com",
        "comment": "Mine lived in its dust bag for years.",
        "submit_date": datetime.datetime(2019, 3, 4, 5, 6, tzinfo=datetime.UTC),
    }
    approved = lifecycle.imported(Reply(status=ReplyStatus.APPROVED, **fields))
    held = lifecycle.imported(
        Reply(
            status=ReplyStatus.PENDING, hold_reason="waiting there", parent_id=approved.pk, **fields
        ),
        note="imported from elsewhere",
    )

    approved, held = Reply.objects.get(pk=approved.pk), Reply.objects.get(pk=held.pk)
    assert (approved.status, approved.is_public, approved.level) == ("approved", True, 0)
    assert (held.status, held.hold_reason, held.parent_id, held.level) == (
        "pending",
        "waiting there",
        approved.pk,
        1,
    )
    assert approved.submit_date.year == 2019
    entries = ModelLogEntry.objects.filter(action="comments.post").order_by("pk")
    assert [(e.object_id, e.data, e.user) for e in entries] == [
        (str(approved.pk), {"to": "approved", "reason": "imported from WordPress"}, None),
        (str(held.pk), {"to": "pending", "reason": "imported from elsewhere"}, None),
    ]
    assert mailoutbox == []
