"""The emails to writers link only to the site itself: the settings form refuses an outside
address (saying which, keeping the text), and one that reaches the email anyway (a pen name,
text stored before the check) is not sent."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from mailbag import lifecycle
from mailbag.models import MailbagSettings
from testing.letters import store_letter

OWN = "https://testserver/dear-pursebop/"


def settings_url(site):
    return f"/admin/settings/mailbag/mailbagsettings/{site.pk}/"


def form_data(page):
    form = BeautifulSoup(page.content, "html.parser").select_one("form[method=post]")
    data = {f["name"]: f.get("value", "") for f in form.select("input[name]")}
    # A browser drops the newline that opens a textarea's content.
    data.update({f["name"]: f.get_text().removeprefix("\n") for f in form.select("textarea[name]")})
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outside",
    [
        "https://pursebop-help.example/login",
        "www.pursebop-help.example",
        "pursebop-help.example/login",
        "https://testserver@pursebop-help.example/",
    ],
)
def test_the_decline_text_refuses_an_outside_link_and_keeps_the_text(
    admin_client, home_page, outside
):
    site = home_page.get_site()
    data = form_data(admin_client.get(settings_url(site)))
    body = f"Dear {{pen_name}},\n\nSign in at {outside} to read our answers, or see {OWN}."
    data["decline_body"] = body
    response = admin_client.post(settings_url(site), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Links in readers’ emails may lead only to this site (testserver)." in text
    assert (
        BeautifulSoup(text, "html.parser").select_one("textarea[name=decline_body]").get_text()
        == "\n" + body
    )
    assert outside not in MailbagSettings.for_site(site).decline_body

    data["decline_body"] = f"Dear {{pen_name}},\n\nSee {OWN} for our answers."
    assert admin_client.post(settings_url(site), data).status_code == 302


@pytest.mark.django_db
def test_an_outside_link_that_reaches_the_decline_email_is_not_sent(column, home_page, mailoutbox):
    setting = MailbagSettings.for_site(home_page.get_site())
    # Stored before the form checked it (save() alone does not clean).
    setting.decline_body = "Dear {pen_name}, read https://phish.example/x, not " + OWN
    setting.save()
    reader_letter = store_letter(column, pen_name="Visit www.phish.example", email="w@example.com")
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    lifecycle.decline(reader_letter, admin, send_email=True)
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "phish.example" not in body
    assert body == f"Dear Visit [link removed], read [link removed], not {OWN}"
