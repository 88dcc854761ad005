"""The demo site as `make run` shows it: loaded once for the module (the tests only read it,
and what one changes is undone after it)."""

import html
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Site, Workflow, WorkflowPage

from advice.models import AdviceIndexPage, GuidePage, LetterPage, Topic
from comments.models import Reply, ReplyReport, ReplyStatus
from testing.db import module_data


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        call_command("load_initial_data", verbosity=0)
        yield


@pytest.fixture(autouse=True)
def _db(db):
    """Every test reads the database (inside the module's demo site)."""


def test_the_special_order_letter_has_its_two_related_readings(client, demo):
    letter = LetterPage.objects.get(slug="what-happens-if-i-reject-my-hermes-special-order")
    assert letter.pen_name == "Second Guesser"
    assert letter.topics.filter(slug="special-orders").exists()
    related = [link.link_page.specific for link in letter.related_links.all()]
    assert [page.slug for page in related] == [
        "i-dont-like-my-hermes-special-order",
        "insiders-guide-to-hermes-special-orders",
    ]
    assert isinstance(related[1], GuidePage)

    html = client.get(letter.url).content.decode()
    assert "Dear Second Guesser:" in html
    for page in related:
        assert f'href="{page.url}"' in html
        assert client.get(page.url).status_code == 200


def test_demo_home_page_renders_with_latest_answers_and_navigation(client, demo):
    page = client.get("/").content.decode()
    assert 'href="/dear-pursebop/"' in page and 'href="/guides/"' in page
    newest = LetterPage.objects.order_by("-date").first()
    assert newest.title in html.unescape(page)


def test_demo_replies_give_the_desk_work_and_readers_only_approved_ones(client, demo):
    statuses = sorted(Reply.objects.values_list("status", flat=True))
    assert statuses.count(ReplyStatus.PENDING) == 3
    assert statuses.count(ReplyStatus.APPROVED) == 5
    assert statuses.count(ReplyStatus.REJECTED) == 1
    answer = Reply.objects.get(comment__startswith="That is such a relief")
    assert answer.parent_id != answer.pk and answer.level == 1
    assert ReplyReport.objects.filter(reply__user_name="Not Impressed").count() == 2

    letter = LetterPage.objects.get(slug="what-happens-if-i-reject-my-hermes-special-order")
    text = html.unescape(client.get(letter.url).content.decode())
    assert "I turned down a special order two years ago" in text
    assert "That is such a relief to read." in text
    assert "In person, at the store." not in text  # held
    assert "Buy a special order today" not in text  # held: links


def test_the_demo_has_a_second_column_with_its_greeting_letters_feed_and_reply(client, demo):
    first = AdviceIndexPage.objects.get(slug="dear-pursebop")
    second = AdviceIndexPage.objects.get(slug="the-workbench")
    assert (first.title, first.get_greeting()) == ("Dear PurseBop", "Dear PurseBop,")
    assert (second.title, second.get_greeting()) == ("The Workbench", "Dear Workbench,")
    assert first.show_in_menus and second.show_in_menus
    letters = LetterPage.objects.child_of(second).live().order_by("-date")
    assert letters.count() == 2
    assert LetterPage.objects.child_of(first).count() == 10
    own_topics = Topic.objects.filter(letters__in=letters).exclude(
        letters__in=LetterPage.objects.child_of(first)
    )
    assert own_topics.distinct().count() >= 2

    nav = [
        a["href"]
        for a in BeautifulSoup(client.get("/").content, "html.parser").select(".site-nav a")
    ]
    assert "/dear-pursebop/" in nav and "/the-workbench/" in nav

    letter = letters.first()
    soup = BeautifulSoup(client.get(letter.url).content, "html.parser")
    assert soup.find(class_="letter__greeting").get_text() == "Dear Workbench,"
    assert all(a["href"].startswith("/the-workbench/") for a in soup.select(".kicker a"))
    approved = Reply.objects.filter(object_pk=str(letter.pk), status=ReplyStatus.APPROVED)
    assert approved.count() == 1
    assert approved.get().comment in html.unescape(soup.get_text())

    rss = ET.fromstring(client.get("/the-workbench/feed/").content).find("channel")
    assert rss.findtext("title") == "The Workbench"
    assert [item.findtext("title") for item in rss.findall("item")] == [
        page.title for page in letters
    ]


def test_a_second_run_keeps_the_site_name_editors_gave_it(client, demo):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Dear PurseBop"
    site.site_name = "Handbag Letters"
    site.save()
    call_command("load_initial_data", verbosity=0)
    assert Site.objects.get(is_default_site=True).site_name == "Handbag Letters"
    assert "· Handbag Letters</title>" in client.get("/guides/").content.decode()


def test_each_demo_column_links_its_own_write_in_page_in_the_navigation(client, demo):
    def nav(url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return [(a.text, a["href"]) for a in soup.select(".site-nav__write-in a")]

    bench_letter = LetterPage.objects.child_of(AdviceIndexPage.objects.get(slug="the-workbench"))
    bench = [("Write to The Workbench", "/the-workbench/write/")]
    pursebop = [("Write to PurseBop", "/dear-pursebop/write/")]
    assert nav("/the-workbench/") == bench
    assert nav(bench_letter.live().first().url) == bench
    assert nav("/dear-pursebop/") == pursebop
    assert nav("/") == pursebop
    form = BeautifulSoup(client.get("/the-workbench/write/").content, "html.parser")
    assert form.h1.text == "Write to The Workbench"
    assert [o.text for o in form.select("select[name=topic] option")][1:] == sorted(
        Topic.objects.filter(letters__in=bench_letter.live())
        .distinct()
        .values_list("name", flat=True)
    )


def test_the_demo_columns_letters_go_through_answer_review(client, demo):
    columns = AdviceIndexPage.objects.all()
    assert columns.count() == 2
    for column in columns:
        assert WorkflowPage.objects.get(page=column).workflow.name == "Answer review"

    editor = get_user_model().objects.create_user("edna", "edna@staff.example")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for column in columns:
        letter = LetterPage.objects.child_of(column).first()
        assert letter.get_workflow().name == "Answer review"
        page = client.get(f"/admin/pages/{letter.pk}/edit/")
        assert page.status_code == 200
        text = html.unescape(page.content.decode())
        assert "Submit to Answer review" in text
        assert "Moderators approval" not in text


def test_a_second_run_keeps_the_workflow_an_editor_gave_a_column(demo):
    column = AdviceIndexPage.objects.get(slug="the-workbench")
    other = Workflow.objects.get(name="Moderators approval")
    WorkflowPage.objects.filter(page=column).update(workflow=other)
    call_command("load_initial_data", verbosity=0)
    assert WorkflowPage.objects.get(page=column).workflow == other
    assert WorkflowPage.objects.filter(workflow__name="Answer review").count() == 1
