from django.core.management.base import BaseCommand

from advice.spelling import rebuild


class Command(BaseCommand):
    help = (
        'Recompute the search\'s vocabulary (the words "Did you mean …?" suggests) from every '
        "live, public letter and guide. The site keeps it itself as pages are published, "
        "unpublished, restricted or deleted, and fills it after migrate when it is empty; run "
        "this after loading pages with loaddata or changing the page table by hand. Safe to "
        "run again."
    )

    def handle(self, *args, **options):
        words, pages = rebuild()
        self.stdout.write(f"Search vocabulary: {words} words from {pages} live pages.")
