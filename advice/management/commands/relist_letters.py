from django.core.management.base import BaseCommand

from advice.models import ListedLetter
from advice.models.listing import relist


class Command(BaseCommand):
    help = (
        "Recompute which letters each column lists (live, the column's child, under no view "
        "restriction) from the page tree. The site keeps this list itself as pages are "
        "published, moved or restricted; run this after loading pages with loaddata or "
        "changing the page table by hand. Safe to run again."
    )

    def handle(self, *args, **options):
        before = ListedLetter.objects.count()
        relist()
        after = ListedLetter.objects.count()
        self.stdout.write(f"Letters listed in columns: {after} (was {before}).")
