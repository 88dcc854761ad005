"""What a reader sees of a letter page's replies, for the moderation and thread tests."""

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


def ok_soup(response):
    assert response.status_code == 200, response.status_code
    return soup(response)


def listed(client, letter, **params):
    """The replies on the letter page, in order: [(text, level class, has a Reply link)]."""
    page = ok_soup(client.get(letter.url, params))
    rows = []
    for item in page.select(".reply-list > li"):
        level = next(c for c in item["class"] if c.startswith("reply--level-"))
        rows.append(
            (
                item.select_one(".reply__body").get_text(strip=True),
                int(level.removeprefix("reply--level-")),
                item.select_one(".reply__reply") is not None,
            )
        )
    return rows


def texts(client, letter, **params):
    return [text for text, _level, _link in listed(client, letter, **params)]
