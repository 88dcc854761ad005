"""Email entries of the block list are kept under the key every spelling of the address shares
(guard.mailboxes.key): quotes, capitals, format characters and a +tag dropped. Entries whose
keys meet are merged into one: a refusal wins over a hold, then the entry that lasts longer.

The key is copied here as it was when this migration was written: a migration must do the same
thing whenever it runs."""

import unicodedata

from django.db import migrations, models


def key(email):
    text = "".join(
        char
        for char in unicodedata.normalize("NFC", email or "")
        if unicodedata.category(char) != "Cf"
    ).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text.casefold()
    local = local.replace('"', "").replace("\\", "")
    local = local.split("+", 1)[0] or local
    return f"{local.casefold()}@{domain.casefold().rstrip('.')}"


def _strength(entry):
    """What makes one of two merged entries the one kept."""
    return (entry.action == "refuse", entry.expires_at is None, entry.expires_at or 0, -entry.pk)


def to_keys(apps, schema_editor):
    BlockedSender = apps.get_model("guard", "BlockedSender")
    by_key = {}
    for entry in BlockedSender.objects.filter(kind="email").order_by("pk"):
        by_key.setdefault(key(entry.value), []).append(entry)
    for value, entries in by_key.items():
        entries.sort(key=_strength, reverse=True)
        kept, merged = entries[0], entries[1:]
        BlockedSender.objects.filter(pk__in=[entry.pk for entry in merged]).delete()
        if kept.value != value:
            BlockedSender.objects.filter(pk=kept.pk).update(value=value)


class Migration(migrations.Migration):
    dependencies = [("guard", "0002_blockedsender")]

    operations = [
        migrations.RunPython(to_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="blockedsender",
            name="value",
            field=models.CharField(
                help_text="The IP address, or the email address (kept in the form every "
                "spelling of it shares: quotes, capitals and a +tag dropped, so each spelling "
                "is blocked).",
                max_length=254,
            ),
        ),
    ]
