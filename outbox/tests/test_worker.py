"""The email worker that keeps going (`manage.py email_worker`, outbox.worker): django-tasks-db's
worker dies when the database is locked while it claims a task or saves a result; ours logs
it, waits (1 s, doubling, at most 60 s, back to 1 s after a quiet spell), starts again and
notes a beat in the database for the diagnostics check. `make run` and `make dev` start it."""

import logging
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from outbox import worker
from outbox.delivery import BACKEND, enqueue
from outbox.models import WorkerBeat
from testing.mail import queued

LOCKED = OperationalError("database is locked")


@pytest.fixture
def no_signals():
    """The worker's Ctrl-C handlers stay out of the test run's process."""
    with mock.patch.object(Worker, "configure_signals"):
        yield


@pytest.fixture
def sleeps():
    """Every wait the worker would make, recorded instead of slept."""
    with mock.patch("outbox.worker.time.sleep") as sleep:
        yield sleep


def waits(sleep):
    return [call.args[0] for call in sleep.call_args_list]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the loop closes connections
def test_the_worker_restarts_after_the_database_stops_it_and_notes_its_beat(
    no_signals, sleeps, caplog
):
    caplog.set_level(logging.INFO, logger="outbox")
    with mock.patch.object(Worker, "run", side_effect=[LOCKED, None]) as run:
        call_command("email_worker", rounds=2, interval=1)
    assert run.call_count == 2  # stopped by the lock, started again
    assert waits(sleeps) == [1, 1]  # the first restart's wait, then the pause between passes
    restarts = [r for r in caplog.records if "restarting it in 1 s" in r.getMessage()]
    assert len(restarts) == 1 and "database is locked" in restarts[0].getMessage()
    beat = WorkerBeat.objects.get(backend=BACKEND)
    assert beat.restarts == 1
    assert beat.beat_at >= beat.started_at


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the loop closes connections
def test_restarts_wait_longer_each_time_up_to_a_minute_and_start_over_after_a_quiet_spell(
    sleeps,
):
    now = [0.0]
    supervisor = worker.Supervisor(BACKEND, interval=0, rounds=10, clock=lambda: now[0])
    failures = [LOCKED] * 8 + [None, LOCKED]

    def run():
        outcome = failures.pop(0)
        if outcome is None:
            now[0] += worker.HEALTHY_AFTER  # a quiet spell: five minutes without an error
            return
        raise outcome

    with mock.patch.object(supervisor.worker, "run", side_effect=run):
        supervisor.run()
    assert waits(sleeps) == [1, 2, 4, 8, 16, 32, 60, 60, 0, 1]
    assert supervisor.restarts == 9


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_the_locked_database_refuses_stops_no_mail(
    settings, no_signals, sleeps, mailoutbox
):
    """The real worker loop on the real queue: its claim of the first email fails on "database
    is locked" (django-tasks-db's own worker exits there); ours starts again and sends both."""
    settings.TASKS = {**settings.TASKS, "email": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    enqueue([EmailMessage("First", "Body.", to=["a@example.com"])])
    enqueue([EmailMessage("Second", "Body.", to=["b@example.com"])])
    claim = DBTaskResult.claim
    calls = []

    def claim_once_locked(result, worker_id):
        calls.append(result.pk)
        if len(calls) == 1:
            raise LOCKED
        return claim(result, worker_id)

    with mock.patch.object(DBTaskResult, "claim", claim_once_locked):
        call_command("email_worker", rounds=2, interval=0)
    assert sorted(message.subject for message in mailoutbox) == ["First", "Second"]
    assert {result.status for result in queued()} == {"SUCCESSFUL"}
    assert WorkerBeat.objects.get(backend=BACKEND).restarts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the loop closes connections
def test_a_beat_the_locked_database_refuses_is_logged_and_the_worker_goes_on(sleeps, caplog):
    supervisor = worker.Supervisor(BACKEND, interval=0, rounds=1)
    with (
        mock.patch.object(WorkerBeat.objects, "update_or_create", side_effect=LOCKED),
        mock.patch.object(supervisor.worker, "run") as run,
    ):
        supervisor.run()
    assert run.call_count == 1
    assert "could not note its beat" in caplog.text


def test_make_run_and_make_dev_start_our_worker_not_db_worker():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    for target in ("run", "dev"):
        recipe = re.search(rf"^{target}:.*?(?=^\S)", makefile, re.S | re.M).group(0)
        assert "email_worker" in recipe and "db_worker" not in recipe, target
