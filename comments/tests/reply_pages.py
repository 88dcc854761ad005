"""What the reply tests read from the page a post comes back with: the message, the reader's
text kept, a field's value or error."""

from bs4 import BeautifulSoup

from comments.models import Reply

TEXT = "My <b>bag</b> arrived scratched.\n\nSee https://example.com/photo for the damage."


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def textarea_text(response, name="comment"):
    area = soup(response).find("textarea", attrs={"name": name})
    assert area is not None, "the form with the reader's text is not on the page"
    return area.get_text()


def field_value(response, name):
    field = soup(response).find("input", attrs={"name": name})
    assert field is not None, f"no {name} field on the page"
    return field.get("value")


def alert(response):
    box = soup(response).select_one("[role=alert]")
    assert box is not None, "no message on the page"
    return " ".join(box.get_text().split())


def field_error(response, field_id):
    error = soup(response).find(id=f"{field_id}-error")
    assert error is not None, f"no error shown beside {field_id}"
    return " ".join(error.get_text().split())


def assert_refused(response, status, message):
    """The post was refused with `status` and `message`, the reader's text came back, and
    nothing was stored."""
    assert response.status_code == status
    assert message in alert(response)
    assert textarea_text(response) == TEXT
    assert Reply.objects.count() == 0


def expired_message(response):
    return "This form had expired or was changed on its way to us" in alert(response)
