from django.core.management.base import BaseCommand

from demo.loader import load_demo_content


class Command(BaseCommand):
    help = (
        "Load the demo column (pages, topics, columnists, images) from demo/fixtures/. "
        "Idempotent: what already exists is kept, nothing is duplicated."
    )

    def handle(self, *args, **options):
        report = load_demo_content(log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {report.created} created, {report.kept} already there."
            )
        )
