from django.core.management.base import BaseCommand

from comments.counts import recount_all


class Command(BaseCommand):
    help = (
        "Count again, from the replies, how many replies readers see under each page (what a "
        "letter's card shows). The site keeps these counts itself as replies are posted, "
        "moderated and erased; run this after loading replies with loaddata or changing the "
        "reply tables by hand. Safe to run again."
    )

    def handle(self, *args, **options):
        pages = recount_all()
        self.stdout.write(f"Pages with replies readers see: {pages}.")
