"""What a reader sees of a letter page's replies, for the moderation tests."""

from bs4 import BeautifulSoup


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def shown(client, letter, **params):
    """(the replies heading, "N replies", the texts of the replies shown) on the letter page."""
    response = client.get(letter.url, params)
    assert response.status_code == 200
    page = soup(response)
    return (
        page.select_one("#reply-count").get_text(),
        [body.get_text(" ", strip=True) for body in page.select(".reply-list .reply__body")],
    )


def posted_title(client, response):
    return soup(client.get(response["Location"])).h1.get_text()
