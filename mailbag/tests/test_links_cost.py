"""The links to the write-in page cost the column's pages nothing on the letter and the home
page (fetched with the column), and one query on the column's index."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from testing.letters import add_write_in_page


def queries(client, url):
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_the_link_adds_no_query_to_a_letter_or_the_home_page(
    client, home_page, column, make_letter
):
    letter = make_letter()
    before = {url: queries(client, url)[0] for url in (letter.url, home_page.url, column.url)}
    write_in = add_write_in_page(column)
    after = {}
    for url in (letter.url, home_page.url, column.url):
        after[url], response = queries(client, url)
        assert f'href="{write_in.url}"' in response.text, url
    assert after[letter.url] == before[letter.url]
    assert after[home_page.url] == before[home_page.url]
    assert after[column.url] <= before[column.url] + 1
