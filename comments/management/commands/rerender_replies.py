from django.core.management.base import BaseCommand

from comments import sanitize
from comments.models import Reply


class Command(BaseCommand):
    help = (
        "Re-render the stored HTML of replies made under an older sanitiser policy "
        "(or of every reply with --all), from the text readers typed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Re-render every reply.")

    def handle(self, *args, **options):
        replies = Reply.objects.all()
        if not options["all"]:
            replies = replies.exclude(policy_version=sanitize.POLICY_VERSION)
        done = 0
        for reply in replies.iterator(chunk_size=500):
            reply.render()
            Reply.objects.filter(pk=reply.pk).update(
                html=reply.html, link_count=reply.link_count, policy_version=reply.policy_version
            )
            done += 1
        self.stdout.write(f"Re-rendered {done} repl{'y' if done == 1 else 'ies'}.")
