import pytest

from testing.letters import add_write_in_page


@pytest.fixture
def write_in(column):
    return add_write_in_page(column)


@pytest.fixture
def offered_topic(topic, make_letter):
    """A topic the column's write-in form offers: one of its published letters is filed
    under it."""
    make_letter(topics=[topic])
    return topic
