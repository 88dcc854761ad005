"""Run daily: delete declined reader letters older than MAILBAG_DECLINED_RETENTION_DAYS
(default 90) and erase the email address of answered letters once the writer has been told
(at once when they did not ask to be)."""

from django.core.management.base import BaseCommand

from mailbag import lifecycle
from mailbag.models import retention_days


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep declined letters this many days (default: the setting, now "
            f"{retention_days()}).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            self.stderr.write("--days must be 0 or more.")
            return
        deleted, erased = lifecycle.cleanup(days=days)
        if options["verbosity"]:
            self.stdout.write(
                f"Deleted {deleted} declined letters; erased {erased} writers' addresses."
            )
