"""XSS in a real browser (markers `e2e`, `attack`): payloads from the corpus (testing.xss)
typed into the real reply form in Chromium as reply text and names (and, where an address
can carry one, addresses), approved by a moderator, then every page where they appear opened
with the trap: the page each post lands on, the letter page (every page of replies, twice:
the second view may come from the page cache), the desk's listing, each reply's detail and
history, the column's feeds, and the HTML of every email sent. No script runs, no on* attribute
or javascript: URL survives, no CSP violation on public pages, no request leaves the site.

40 payloads by default (the short CI setting); ATTACK=full (make attack) sends all of them.
The trap is itself tested first, on a page that does render payloads unescaped."""

import math
import os

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from comments import lifecycle
from comments.forms import ReplyForm
from comments.models import Reply, ReplyPolicy, ReplyStatus
from testing import desk, xss
from testing.output import say
from testing.users import ensure_reply_moderators_group

pytestmark = [pytest.mark.attack]

CI_PAYLOADS = int(os.environ.get("ATTACK_XSS_PAYLOADS", 40))
PASSWORD = "pw-for-the-xss-run"


# --- The trap trips ------------------------------------------------------------------------------

UNESCAPED = """<!DOCTYPE html><html><head><title>unescaped</title></head><body>
<p>{payload}</p></body></html>"""


@pytest.mark.parametrize(
    "payload, expected",
    [
        ("<img src=x onerror=alert(1)>", "script ran: alert(1)"),
        ("<svg onload=__xss('svg')>", "script ran: __xss(svg)"),
        ("<script>confirm('c')</script>", "script ran: confirm(c)"),
        ("<a href='javascript:alert(1)'>x</a>", "DOM: <a href="),
        ("<b onmouseover=alert(1)>hover</b>", "DOM: <b onmouseover="),
        ("<iframe src=about:blank></iframe>", "DOM: <iframe>"),
        ("<img src=http://evil.example/x.png>", "request to another host: http://evil.example/"),
    ],
)
def test_the_trap_trips_on_an_unescaped_page(browser, live_server, payload, expected):
    context = browser.new_context(base_url=live_server.url)
    try:
        trap = xss.Trap(context, [live_server.url, "http://trap.test"])
        page = context.new_page()
        page.route(
            "http://trap.test/",
            lambda route: route.fulfill(
                body=UNESCAPED.format(payload=payload), content_type="text/html"
            ),
        )
        page.goto("http://trap.test/")
        found = trap.check(page, "unescaped")
        assert any(item.startswith(expected) for item in found), found
    finally:
        context.close()


def test_the_trap_reports_a_csp_violation(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    try:
        trap = xss.Trap(context, [live_server.url, "http://trap.test"])
        page = context.new_page()
        page.route(
            "http://trap.test/",
            lambda route: route.fulfill(
                body=UNESCAPED.format(payload="<script>alert(1)</script>"),
                content_type="text/html",
                headers={"Content-Security-Policy": "script-src 'self'"},
            ),
        )
        page.goto("http://trap.test/")
        found = trap.check(page, "blocked")
        assert any(item.startswith("CSP violation: script-src") for item in found), found
        assert not any(item.startswith("script ran") for item in found)
    finally:
        context.close()


def test_the_corpus_has_at_least_300_payloads_with_our_mutations():
    everything = xss.payloads()
    assert len(everything) >= 300
    assert {payload.source for payload in everything} == {*xss.LISTS, "mutations"}
    assert len({payload.text for payload in everything}) == len(everything)


# --- The run ------------------------------------------------------------------------------------


@pytest.fixture
def column_open_to_all(site_at_live_server, make_letter, monkeypatch, settings):
    """A letter open for replies; one email per held reply to the moderator; the typing time
    patched away (the live server runs in this process) and rate limits raised."""
    monkeypatch.setattr(ReplyForm, "min_seconds_to_type", 0)
    settings.RATE_LIMIT_MULTIPLIER = 10_000
    policy = ReplyPolicy.for_site(Site.objects.get(is_default_site=True))
    policy.link_limit = 100
    policy.save()
    return make_letter("Is any of this safe to show?", date=timezone.localdate())


def test_no_payload_runs_anywhere_it_is_shown(
    browser, live_server, column_open_to_all, pytestconfig
):
    letter = column_open_to_all
    # The short setting's spread, plus every address-shaped payload (few, and the only ones a
    # form accepts as an address).
    chosen = xss.sample(CI_PAYLOADS)
    chosen += [p for p in xss.address_shaped() if p not in chosen]
    moderator = ensure_reply_moderators_group().user_set.model.objects.create_user(
        "xssmod", email="xssmod@example.com", password=PASSWORD
    )
    moderator.groups.add(ensure_reply_moderators_group())
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    trap = xss.site_trap(context, live_server.url)
    page = context.new_page()
    counts = {"posted": 0, "refused": 0, "addresses": 0}
    try:
        # 1. Through the real form, as text and name (and address where one is valid).
        for n, payload in enumerate(chosen):
            email, carried = xss.address_for(payload, n)
            counts["addresses"] += carried
            page.goto(letter.url)
            page.fill("#id_comment", payload.text)
            page.fill("#id_name", payload.text[:50])
            page.fill("#id_email", email)
            with page.expect_navigation():
                page.get_by_role("button", name="Send reply").click()
            counts["posted" if "/replies/posted/" in page.url else "refused"] += 1
            trap.check(page, f"after posting #{n} ({payload.source})")
        stored = list(Reply.objects.filter(status=ReplyStatus.PENDING))
        # A payload that differs from an earlier one only in blanks the form strips is a
        # duplicate: it lands on the first one's page, and nothing new is stored.
        assert 0 < len(stored) <= counts["posted"]
        counts["duplicates"] = counts["posted"] - len(stored)

        # 2. Approved by a moderator.
        for reply in stored:
            lifecycle.moderate(reply, "approve", moderator)
        approved = Reply.objects.filter(status=ReplyStatus.APPROVED).count()

        # 3. The letter page, every page of replies, twice (cold, then perhaps cached).
        policy = ReplyPolicy.for_site(Site.objects.get(is_default_site=True))
        pages = max(1, math.ceil(approved / policy.threads_per_page))
        for view in ("first view", "second view"):
            for number in range(1, pages + 1):
                assert page.goto(f"{letter.url}?replies={number}").status == 200
                trap.check(page, f"letter page {number} ({view})")

        # 4. Feeds.
        column = letter.get_parent().specific
        for url in (column.feed_url(), column.url):
            page.goto(url)
            trap.check(page, url)

        # 5. The desk: listing pages, each reply's detail and history.
        page.goto("/admin/login/")
        page.get_by_label("Username").fill("xssmod")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        for number in range(1, math.ceil(len(stored) / 20) + 2):
            response = page.goto(f"{desk.LIST_URL}?p={number}")
            if response.status == 404:
                break
            trap.check(page, f"desk listing page {number}", public=False)
        # Every reply's detail in the full run (it shows text, name and address); its history
        # (the log's messages) for the first 50; the first 10 of each in the short setting.
        replies = list(Reply.objects.order_by("pk"))
        for reply in replies if xss.FULL else replies[:10]:
            page.goto(desk.inspect_url(reply))
            trap.check(page, f"desk detail {reply.pk}", public=False)
        for reply in replies[:50] if xss.FULL else replies[:10]:
            page.goto(desk.history_url(reply))
            trap.check(page, f"desk history {reply.pk}", public=False)

        # 6. The HTML of every email sent (held-reply notices, published notices).
        html_emails = [
            content
            for message in mail.outbox
            for content, kind in getattr(message, "alternatives", [])
            if kind == "text/html"
        ]
        for n, html in enumerate(html_emails):
            page.route(f"{xss.MAIL_ORIGIN}/{n}", xss.serve(html, "text/html"))
            page.goto(f"{xss.MAIL_ORIGIN}/{n}")
            trap.check(page, f"email {n}", public=False)
    finally:
        context.close()

    say(
        pytestconfig,
        f"xss [{'full' if xss.FULL else 'ci'}]: {len(chosen)} payloads of {len(xss.payloads())} "
        f"sent as text and name ({counts['addresses']} also as address): {counts['posted']} "
        f"posted ({counts['duplicates']} of them duplicates of an earlier one), "
        f"{counts['refused']} refused by the form; {approved} approved; "
        f"{trap.pages} pages opened ({len(mail.outbox)} emails, {len(html_emails)} with HTML); "
        f"{len(trap.findings)} findings",
    )
    assert trap.findings == [], "\n".join(f"{label}: {item}" for label, item in trap.findings[:50])
