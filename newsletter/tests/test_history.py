"""The newsletter in Wagtail's audit log: an issue queued to its subscribers on the letter's
history (by who published it), a round-up on its issue's history, a test copy (newsletter's
test_email_preview), and each suppression lookup with who looked, never the address; the
actions read well in the page's history and the site history report."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry, PageLogEntry

from advice.models import LetterPage
from newsletter import sending
from newsletter.models import Issue, Subscriber, Subscription
from newsletter.roundup import week_of
from testing.pages import answer
from testing.users import grant


def subscribe(column, address, cadence="each"):
    subscriber = Subscriber.objects.create(address=address, key=address, state="active")
    Subscription.objects.create(subscriber=subscriber, column=column, cadence=cadence)


def test_publishing_writes_newsletter_queued_to_n_subscribers(
    admin_client, admin_user, column, columnist, django_capture_on_commit_callbacks
):
    for address in ("one@example.com", "two@example.com"):
        subscribe(column, address)
    subscribe(column, "weekly@example.com", cadence="weekly")
    letter = LetterPage(
        title="Is it too late?", slug="too-late", answer=answer("No."), live=False,
        columnist=columnist, date=timezone.localdate(),
    )  # fmt: skip
    column.add_child(instance=letter)
    with django_capture_on_commit_callbacks(execute=True):
        letter.save_revision(user=admin_user).publish(user=admin_user)
    entry = PageLogEntry.objects.get(action="newsletter.queued")
    assert entry.page_id == letter.pk and entry.user_id == admin_user.pk
    assert entry.data == {"subscribers": 2}
    assert entry.message == "Newsletter queued to 2 subscribers"
    history = admin_client.get(f"/admin/pages/{letter.pk}/history/").content.decode()
    assert "Newsletter queued to 2 subscribers" in history


def test_a_round_up_writes_its_queued_count_on_its_issue(column, make_letter):
    subscribe(column, "weekly@example.com", cadence="weekly")
    issue = Issue.objects.create(
        kind=Issue.Kind.WEEKLY, column=column, week=week_of(timezone.localdate()), title="Week"
    )
    sending.fan_out.enqueue(issue.pk)
    entry = ModelLogEntry.objects.get(action="newsletter.roundup_sent")
    assert entry.object_id == str(issue.pk) and entry.user is None
    assert entry.message == "Weekly round-up queued to 1 subscriber"


@pytest.mark.django_db
def test_a_suppression_lookup_records_who_and_never_the_address(client, admin_client):
    user = get_user_model().objects.create_user("looker", "l@example.com", "x")
    client.force_login(grant(user, "wagtailadmin.access_admin", "newsletter.view_subscriber"))
    client.get("/admin/newsletter/suppression/")  # no address asked: nothing written
    assert not ModelLogEntry.objects.filter(action="newsletter.suppression_lookup").exists()
    client.get("/admin/newsletter/suppression/", {"address": "secret.reader@example.com"})
    entry = ModelLogEntry.objects.get(action="newsletter.suppression_lookup")
    assert entry.user_id == user.pk
    assert "secret" not in f"{entry.label} {entry.data} {entry.message}"
    report = admin_client.get("/admin/reports/site-history/").content.decode()
    assert "Looked up an address in the suppression list" in report


def test_the_actions_have_labels_for_the_history_filters(db):
    labels = dict(registry.get_choices())
    assert labels["newsletter.test_sent"] == "Newsletter test sent"
    assert labels["newsletter.queued"] == "Newsletter queued"
    assert labels["newsletter.roundup_sent"] == "Weekly round-up sent"
    assert labels["newsletter.suppression_lookup"] == "Suppression list looked up"
