"""A reply's life (comments.lifecycle): every change of state saves, logs and notifies in one
place, whoever makes it (a moderator, readers' reports, an erasure)."""

from django.test import Client
from wagtail.models import ModelLogEntry

from comments import lifecycle
from comments.models import Reply, ReplyStatus
from testing.replies import fresh_address


def report(reply):
    return Client().post(
        f"/replies/report/{reply.pk}/", {"reason": "spam"}, REMOTE_ADDR=fresh_address()
    )


def test_the_report_threshold_sends_a_reply_back_with_an_audit_entry(
    make_reply, policy, moderator, mailoutbox
):
    reply = make_reply(comment="Reported thrice.")
    for _ in range(policy.report_threshold):
        assert report(reply).status_code == 200
    reply.refresh_from_db()
    assert (reply.status, reply.hold_reason) == (ReplyStatus.PENDING, "reported by 3 readers")
    assert reply.moderators_notified_at is not None
    (entry,) = ModelLogEntry.objects.filter(action="comments.reported")
    assert (entry.object_id, entry.user) == (str(reply.pk), None)
    assert entry.data["from"] == "approved" and entry.data["to"] == "pending"
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert reply.reports.filter(resolved_at__isnull=True).count() == 3  # for the moderator


def test_each_change_is_saved_logged_and_timed(make_reply, moderator):
    reply = make_reply(status=ReplyStatus.PENDING)
    assert reply.first_approved_at is None
    assert lifecycle.moderate(reply, "approve", moderator)
    stored = Reply.objects.get(pk=reply.pk)
    assert stored.status == ReplyStatus.APPROVED
    assert stored.first_approved_at == stored.status_changed_at
    assert lifecycle.moderate(stored, "reject", moderator, "Off topic.")
    stored.refresh_from_db()
    assert (stored.status, stored.rejection_reason) == (ReplyStatus.REJECTED, "Off topic.")
    actions = list(
        ModelLogEntry.objects.for_instance(stored).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["comments.approve", "comments.reject"]


def test_an_erased_reply_is_no_longer_moderated_or_answered(client, make_reply, moderator):
    erased = make_reply(status=ReplyStatus.ERASED, user_name="", comment="")
    assert not lifecycle.moderate(erased, "approve", moderator)
    assert Reply.objects.get(pk=erased.pk).status == ReplyStatus.ERASED
    assert client.get(f"/replies/reply/{erased.pk}/").status_code == 404
    assert client.get(f"/replies/report/{erased.pk}/").status_code == 404
