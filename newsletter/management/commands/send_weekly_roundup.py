"""manage.py send_weekly_roundup [--week YYYY-MM-DD]: each column's round-up of a week to its
weekly subscribers (newsletter.roundup). Run it on Mondays; by default it takes the week that
ended (Monday to Sunday). A week already sent is never sent again, so a second run, or two
schedulers, send nothing more."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from advice.models import AdviceIndexPage
from newsletter import roundup, sending


def a_day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--week takes a date such as 2026-11-30, not “{value}”.") from error


class Command(BaseCommand):
    help = "Send each column's weekly round-up (letters, answers, Readers weigh in)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--week",
            type=a_day,
            help="A day in the week to send (default: the week that ended last Sunday).",
        )

    def handle(self, *args, week=None, **options):
        start = roundup.week_of(week) if week else roundup.last_full_week()
        self.stdout.write(f"Round-up of the week starting Monday {start:%-d %B %Y}:")
        for column in AdviceIndexPage.objects.live().order_by("path"):
            issue, created = sending.roundup_issue(column, start)
            if issue is None:
                self.stdout.write(
                    f"- {column.title}: no letter and no pick that week, nothing sent"
                )
            elif created:
                self.stdout.write(f"- {column.title}: “{issue.title}” queued for its subscribers")
            else:
                self.stdout.write(f"- {column.title}: already sent ({issue.title}), nothing more")
