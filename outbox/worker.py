"""The email worker that keeps going (`manage.py email_worker`): django-tasks-db's own worker
loop, run pass by pass, restarted when it dies on a database error.

django-tasks-db's `db_worker` exits when SQLite answers "database is locked" while it claims a
task or saves a task's result (only the lock while *looking* for a task is retried), and
nothing starts it again: mail then waits for ever while the site looks fine. Here each pass
(`Worker.run` in batch mode: every task due, then back) runs under a supervisor that logs the
error, waits (1 s, doubling, at most 60 s; back to 1 s after five quiet minutes) and starts
the next pass. After each pass, and after each task, it notes a beat in the database
(WorkerBeat, at most every BEAT_EVERY seconds) for the diagnostics check to read.

A task whose result could not be saved stays RUNNING: it is never run twice (its mail may have
gone), as a crash leaves it.
"""

import logging
import time

from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from outbox.models import WorkerBeat

logger = logging.getLogger("outbox")

FIRST_DELAY = 1  # seconds before the first restart
MAX_DELAY = 60  # the longest wait between restarts
HEALTHY_AFTER = 300  # seconds without an error that bring the wait back to FIRST_DELAY
BEAT_EVERY = 10  # seconds between beats written to the database, at most


def restart_delay(failures):
    """The wait before restart number `failures` + 1 in a row: 1, 2, 4, ... 60 s."""
    return min(FIRST_DELAY * 2**failures, MAX_DELAY)


class BeatingWorker(Worker):
    """django-tasks-db's worker, which beats after every task as well (a long queue keeps it
    busy inside one pass)."""

    def __init__(self, *, on_task, **kwargs):
        super().__init__(**kwargs)
        self.on_task = on_task

    def run_task(self, db_task_result):
        try:
            super().run_task(db_task_result)
        finally:
            self.on_task()


class Supervisor:
    """Runs the worker's passes for `backend`; `rounds` bounds how many (tests), `sleep` and
    `clock` are time.sleep and time.monotonic unless a test gives others."""

    def __init__(self, backend, interval=1.0, rounds=None, sleep=None, clock=None):
        self.backend = backend
        self.interval = interval
        self.rounds = rounds
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic
        self.restarts = 0
        self.failures = 0  # in a row: how long the next wait is
        self.last_failure = None
        self.last_beat = None
        self.started_at = timezone.now()
        self.worker = BeatingWorker(
            on_task=self.beat,
            queue_names=["*"],  # every queue of this backend: only our tasks use it
            interval=0,
            batch=True,
            backend_name=backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{backend}-worker",
        )

    def beat(self, force=False):
        """Note that the worker is alive; a database too busy to take it is only logged."""
        now = self.clock()
        if not force and self.last_beat is not None and now - self.last_beat < BEAT_EVERY:
            return
        try:
            WorkerBeat.objects.update_or_create(
                backend=self.backend,
                defaults={
                    "beat_at": timezone.now(),
                    "started_at": self.started_at,
                    "restarts": self.restarts,
                },
            )
        except OperationalError as error:
            logger.warning("The email worker could not note its beat: %s", error)
            return
        self.last_beat = now

    def run(self):
        self.beat(force=True)
        done = 0
        while self.worker.running and (self.rounds is None or done < self.rounds):
            done += 1
            try:
                self.worker.run()
            except OperationalError as error:
                self.restart_after(error)
                continue
            if self.last_failure is not None and self.clock() - self.last_failure >= HEALTHY_AFTER:
                self.failures = 0
            self.beat()
            close_old_connections()
            if self.worker.running:
                self.sleep(self.interval)

    def restart_after(self, error):
        delay = restart_delay(self.failures)
        self.failures += 1
        self.restarts += 1
        self.last_failure = self.clock()
        logger.error(
            "The email worker stopped on a database error (%s); restarting it in %d s "
            "(restart %d since %s).",
            error,
            delay,
            self.restarts,
            self.started_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
        self.beat(force=True)  # the restart count, and a sign of life: the loop still runs
        close_old_connections()
        self.sleep(delay)
