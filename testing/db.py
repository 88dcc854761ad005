"""Data a module's tests only read, made once for the module instead of once per test."""

import contextlib

from django.db import transaction


@contextlib.contextmanager
def module_data(django_db_blocker):
    """Inside a module-scoped fixture (which asks for `django_db_setup`): what the fixture
    makes before it yields stays for the module's tests, inside a transaction rolled back
    when the module ends. Each test's own `db` transaction nests in it (a savepoint), so
    whatever a test changes is undone after it, as usual.

    Every test of the module then runs on this data: put tests that need an empty site in
    another module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
