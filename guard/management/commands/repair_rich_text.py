import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Revision

from guard.richtext import repair, repair_stream_value


def rich_text_fields(fields):
    return [field for field in fields if isinstance(field, (RichTextField, StreamField))]


def repaired_value(field, value):
    """(the stored value with its bad links and embeds repaired, the problems found)."""
    if isinstance(field, RichTextField):
        return repair(value)
    raw = json.loads(value) if isinstance(value, str) else value
    new_raw, found = repair_stream_value(field.stream_block, raw)
    return (json.dumps(new_raw) if isinstance(value, str) else new_raw), found


class Command(BaseCommand):
    help = (
        "Find links and embeds in stored rich text (every rich-text field and StreamField, "
        "and each object's latest revision) whose id is not a valid number or whose kind is "
        "unknown, and repair them: a bad link is unwrapped (its words kept), a bad embed "
        "removed. --dry-run lists them and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        self.dry_run, self.count = dry_run, 0
        for model in apps.get_models():
            if model._meta.proxy:
                continue
            self.repair_rows(model, rich_text_fields(model._meta.local_fields))
            self.repair_latest_revisions(model, rich_text_fields(model._meta.fields))
        if not self.count:
            self.stdout.write("Nothing to repair.")
        else:
            verb = "found (dry run: nothing changed)" if dry_run else "repaired"
            self.stdout.write(f"{self.count} bad links or embeds {verb}.")

    def report(self, where, field, found):
        for problem in found:
            self.count += 1
            self.stdout.write(f"{where} {field.name}: {problem}")

    def repair_rows(self, model, fields):
        label = model._meta.label_lower
        for field in fields:
            rows = model._base_manager.all()
            if isinstance(field, RichTextField):  # a cheap first sieve; StreamFields are JSON
                rows = rows.filter(
                    Q(**{f"{field.attname}__contains": "linktype"})
                    | Q(**{f"{field.attname}__contains": "<embed"})
                )
            for pk, value in rows.values_list("pk", field.attname).iterator():
                stored = field.get_prep_value(value) if isinstance(field, StreamField) else value
                new_value, found = repaired_value(field, stored)
                self.report(f"{label} {pk}", field, found)
                if found and not self.dry_run:
                    new = (
                        field.to_python(new_value) if isinstance(field, StreamField) else new_value
                    )
                    model._base_manager.filter(pk=pk).update(**{field.attname: new})

    def repair_latest_revisions(self, model, fields):
        """The editor opens an object's latest revision, so it is repaired too (older ones
        are history and are left as they were)."""
        if not fields or "latest_revision" not in {f.name for f in model._meta.fields}:
            return
        label = model._meta.label_lower
        ids = model._base_manager.exclude(latest_revision=None).values("latest_revision")
        for revision in Revision.objects.filter(pk__in=ids).iterator():
            changed = False
            for field in fields:
                if revision.content.get(field.name) is None:
                    continue
                new_value, found = repaired_value(field, revision.content[field.name])
                where = f"{label} {revision.object_id} (latest revision {revision.pk})"
                self.report(where, field, found)
                if found:
                    revision.content[field.name], changed = new_value, True
            if changed and not self.dry_run:
                Revision.objects.filter(pk=revision.pk).update(content=revision.content)
