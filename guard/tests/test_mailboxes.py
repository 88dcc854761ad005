"""One mailbox, many spellings: format characters are refused where an address is typed, and
the block list, rate limits and duplicate check share one key for the rest."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from guard import mailboxes
from guard.models import BlockedSender

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

FORMAT_CHARACTERS = ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u202e"]


@pytest.mark.parametrize(
    "spelling",
    [
        "blocked@example.com",
        "Blocked@Example.COM",
        '"blocked"@example.com',
        "blocked+news@example.com",
        '"Blocked+x"@EXAMPLE.com.',
        " blocked\u200b@exam\u00adple.com ",
    ],
)
def test_every_spelling_of_a_mailbox_has_one_key(spelling):
    assert mailboxes.key(spelling) == "blocked@example.com"


def test_different_mailboxes_keep_different_keys():
    keys = {mailboxes.key(a) for a in ["a@example.com", "b@example.com", "a@example.org"]}
    assert len(keys) == 3
    assert mailboxes.key("+tag@example.com") == "+tag@example.com"  # nothing before the +


@pytest.mark.parametrize("char", FORMAT_CHARACTERS)
@pytest.mark.parametrize("where", ["blocked{}@example.com", "blocked@example.com{}"])
def test_an_address_with_a_format_character_is_refused_plainly(char, where):
    typed = where.format(char)
    field = mailboxes.AddressField()
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.messages == [mailboxes.FORMAT_CHARACTER_MESSAGE]


def test_a_plain_address_passes_the_field():
    assert mailboxes.AddressField().clean("Alice+x@Example.com") == "Alice+x@Example.com"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spelling", ['"blocked"@example.com', "BLOCKED+x@example.com", "blocked\u2060@example.com"]
)
def test_the_block_list_matches_every_spelling(spelling):
    BlockedSender.objects.create(kind="email", value="Blocked@example.com", action="refuse")
    assert BlockedSender.match(email=spelling).refuses


@pytest.mark.django_db
def test_a_block_list_entry_with_a_format_character_is_refused():
    entry = BlockedSender(kind="email", value="x\u200b@example.com", action="hold")
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert refused.value.message_dict["value"] == [mailboxes.FORMAT_CHARACTER_MESSAGE]


@pytest.mark.django_db
def test_the_migration_moves_stored_entries_to_their_keys():
    """Entries stored before the key (bulk_create skips save(), as old rows were): each
    becomes its key; entries whose keys meet are merged, a refusal winning over a hold."""
    BlockedSender.objects.bulk_create(
        [
            BlockedSender(kind="email", value='"Pat"@example.com', action="hold"),
            BlockedSender(kind="email", value="pat+spam@example.com", action="refuse"),
            BlockedSender(kind="email", value="sam\u200b@example.com", action="hold"),
            BlockedSender(kind="ip", value="192.0.2.1", action="hold"),
        ]
    )
    migration = importlib.import_module("guard.migrations.0003_blocked_addresses_by_key")
    migration.to_keys(apps, None)
    assert sorted(BlockedSender.objects.values_list("kind", "value", "action")) == [
        ("email", "pat@example.com", "refuse"),
        ("email", "sam@example.com", "hold"),
        ("ip", "192.0.2.1", "hold"),
    ]
