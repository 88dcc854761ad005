from django.core.management.base import BaseCommand

from advice.feeds import fill_feed_texts


class Command(BaseCommand):
    help = (
        "Make the feed text (the letter and answer as feed readers get them, cleaned) of every "
        "live letter that has none. Publishing a letter makes its own; run this after an "
        "upgrade, after loading letters with loaddata or an import that wrote rows, or with "
        "--all after a change to how feed items are cleaned. A letter without one is made as "
        "its feed is read, slowly. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="make every live letter’s again, not only the missing ones",
        )

    def handle(self, *args, **options):
        made = fill_feed_texts(every=options["all"])
        self.stdout.write(f"Feed texts made: {made}.")
