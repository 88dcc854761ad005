import time

import pytest

from guard.forms import sign_opened


@pytest.fixture
def subscribe_data(column):
    """subscribe_data(**changes): a valid post of the subscribe form, opened 10 s ago."""

    def make(**changes):
        data = {
            "email": "Reader@Example.com",
            "columns": [str(column.pk)],
            "cadence": "each",
            "source": column.url,
            "honeypot": "",
            "opened": sign_opened(time.time() - 10),
        }
        data.update(changes)
        return data

    return make


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate-limit counters outlive a test in Redis (the PostgreSQL/Redis lane): the tests that
    measure the limit set their own, on addresses no other run used."""
    settings.NEWSLETTER_RATE_LIMITS = []
