"""The word and link rules (guard.rules) and the block list's match (guard.models)."""

import datetime

import pytest
from django.utils import timezone

from guard import rules
from guard.models import BlockedSender


def test_words_are_matched_whole_in_any_case():
    words = rules.word_list("Replica\n\n  super fake \n")
    assert words == ["replica", "super fake"]
    assert rules.find_word("Is this a REPLICA?", words) == "replica"
    assert rules.find_word("Where can I buy a super fake", words) == "super fake"
    assert rules.find_word("replicas are everywhere", words) is None
    assert rules.find_word("superfake", words) is None


def test_the_rules_apply_in_their_order():
    spam = rules.apply("a replica", links=5, banned=["replica"], suspect=["a"], link_limit=2)
    assert spam == rules.Verdict(rules.SPAM, "contains the banned word “replica”")
    held = rules.apply("a bag", links=5, suspect=["bag"], link_limit=2)
    assert held == rules.Verdict(rules.HOLD, "contains the suspect word “bag”")
    assert rules.apply("plain", links=2, link_limit=2) == rules.Verdict(rules.HOLD, "has 2 links")
    assert rules.apply("plain", links=1, link_limit=2) == rules.Verdict(rules.PASS)
    assert rules.apply("plain", links=9, link_limit=0).action == rules.PASS  # 0: no limit


@pytest.mark.django_db
def test_the_block_list_refuses_before_it_holds_and_forgets_when_expired():
    BlockedSender.objects.create(kind="email", value="Pat@Example.com", action="hold")
    refuse = BlockedSender.objects.create(kind="ip", value="192.0.2.5", action="refuse")
    assert BlockedSender.match("pat@example.com", "192.0.2.5") == refuse
    assert BlockedSender.match("PAT@example.com").action == "hold"
    verdict = rules.apply("fine", block=BlockedSender.match("pat@example.com"))
    assert verdict == rules.Verdict(rules.HOLD, "its email address is on the hold list")
    assert rules.apply("fine", block=refuse) == rules.Verdict(
        rules.SPAM, "its ip address is refused"
    )
    refuse.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    refuse.save()
    assert BlockedSender.match(ip="192.0.2.5") is None
    assert BlockedSender.match() is None
