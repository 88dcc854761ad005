"""`manage.py email_worker`: the email queue's worker, restarted when the database stops it
(outbox.worker). `make run` and `make dev` start it; run it as the site's second process."""

import logging

from django.core.management.base import BaseCommand

from outbox.delivery import BACKEND
from outbox.worker import Supervisor


class Command(BaseCommand):
    help = "Send queued email (and run the other queued tasks), restarting after database errors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between passes over the queue when it is empty (default: 1).",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=None,
            help="Stop after this many passes (the tests; unset: run until stopped).",
        )

    def handle(self, *, interval, rounds, verbosity, **options):
        configure_logging(self.stdout, verbosity)
        supervisor = Supervisor(BACKEND, interval=interval, rounds=rounds)
        supervisor.worker.configure_signals()  # Ctrl-C: finish the task, then stop
        supervisor.run()


def configure_logging(stream, verbosity):
    """Each task's start and end (django_tasks, at INFO) and our restarts; not the worker's
    "no more tasks, exiting" after every pass (django_tasks_db, at INFO)."""
    levels = {0: logging.CRITICAL, 1: logging.INFO}
    for name, level in (
        ("django_tasks", levels.get(verbosity, logging.DEBUG)),
        ("outbox", levels.get(verbosity, logging.DEBUG)),
        ("django_tasks_db", logging.WARNING if verbosity < 2 else logging.DEBUG),
    ):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(stream))
