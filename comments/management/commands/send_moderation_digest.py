from django.core.management.base import BaseCommand

from comments.notifications import send_moderation_digest


class Command(BaseCommand):
    help = "Email moderators one digest of the held replies they have not heard of yet."

    def handle(self, *args, **options):
        sent = send_moderation_digest()
        self.stdout.write(f"Sent the digest to {sent} moderator(s).")
