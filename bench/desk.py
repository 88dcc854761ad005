"""The two comparisons the benchmark always made: the moderation desk's "All replies" queue,
page 1 against the last page, and the sanitiser on a typical reply against hostile inputs."""

import gc
import time

from bench.measure import Stats, count_queries, page, side_by_side, timed
from bench.report import ms, progress

PER_PAGE = 50  # the desk's "All replies" queue
HOSTILE_LENGTH = 100_000
TYPICAL_BATCH = 20  # typical replies timed together per sample (see sanitiser_pair)

TYPICAL_REPLY = (
    "Dear PurseBop, I had nearly the same thing happen with a special order last spring. The "
    "boutique rang to say my bag had arrived, but the leather was a different grain from the "
    "sample and the hardware was gold, not palladium. I said <em>no thank you</em> politely "
    "and they were fine about it. Honestly, relief.\n\n"
    "My advice: ask for the order form in writing before you decide, and check the deposit "
    "terms. Mine are explained at https://shop.example.com/help/special-orders?lang=en "
    "(section 4b). It took two weeks to get my deposit back, but I did get it.\n\n"
    "<b>Good luck</b>, and tell us what you choose!"
)


def hostile_inputs():
    """100,000 characters aimed at the sanitiser's slow corners: the parser (html5lib) and the
    linkifier. The shapes of comments/tests/test_sanitize.py, and a mix of tags and links."""
    shapes = {
        "tags+links": '<em>x</em> <a href="http://a.example/">y</a> www.b.example ',
        "urls": "http://example.com/ ",
        "www+parens": "www.x.example/(a)(b) ",
        "amp": "&",
        "lt": "<",
        "paragraphs": "x\n\n",
        "nested <b>": "<b>",
        "open <a": "<a ",
        "prose": "A reader's long letter about handbags. ",
        "newlines": "line of text\n",
    }
    texts = {
        name: (unit * (HOSTILE_LENGTH // len(unit) + 1))[:HOSTILE_LENGTH]
        for name, unit in shapes.items()
    }
    texts["equals"] = ("<a " + "=" * HOSTILE_LENGTH)[:HOSTILE_LENGTH]
    return texts


def sanitiser_pair(render, typical, hostile, warmup, runs, batch=TYPICAL_BATCH):
    """Time `render` on a typical and a hostile (label, text) alternately. A typical call
    takes well under a millisecond and would pay for the cache misses the 100,000-character
    call just caused, so each typical sample is the mean of `batch` calls, after one untimed
    call."""
    (typical_label, typical_text), (hostile_label, hostile_text) = typical, hostile
    for _ in range(warmup):
        render(typical_text)
        render(hostile_text)
    gc.collect()
    typical_times, hostile_times = [], []
    for _ in range(runs):
        render(typical_text)
        start = time.perf_counter()
        for _ in range(batch):
            render(typical_text)
        typical_times.append((time.perf_counter() - start) / batch)
        hostile_times.append(timed(lambda: render(hostile_text)))
    return Stats(typical_label, typical_times, warmup), Stats(hostile_label, hostile_times, warmup)


def run_desk_and_sanitiser(table, runs):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from comments import sanitize
    from comments.models import Reply

    # The moderation desk, "All replies": page 1 and the last page.
    progress("timing the moderation desk")
    listed = Reply.objects.count()
    last = max(1, -(-listed // PER_PAGE))
    table.section(f"Moderation desk, queue=all, {listed:,} replies, {PER_PAGE} a page")
    moderator = Client()
    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench", email="bench@example.com")
    moderator.force_login(user)
    newest = Reply.objects.order_by("-submit_date", "-pk").first()
    oldest = Reply.objects.order_by("submit_date", "pk").first()
    url = "/admin/snippets/comments/reply/?queue=all"
    first_page = page(moderator, url, f"snippet_{newest.pk}_title")
    last_page = page(moderator, f"{url}&p={last}", f"snippet_{oldest.pk}_title")
    table.pair(
        *side_by_side(("page 1", first_page), (f"page {last}", last_page), *runs["desk"]),
        f"page {last} / page 1",
    )
    table.note(f"  SQL queries: {count_queries(first_page)} and {count_queries(last_page)}")

    # The sanitiser. render_reply is lru-cached, so the undecorated function is timed: the
    # work done when a new reply is saved. Each hostile shape is timed alternately with the
    # typical reply (whose figures pool all those runs); see sanitiser_pair().
    progress("timing render_reply")
    render = sanitize.render_reply.__wrapped__
    table.section("comments.sanitize.render_reply, per call")
    typical_label = f"typical reply, {len(TYPICAL_REPLY)} chars ({TYPICAL_BATCH} calls a run)"
    typical_times, hostile = [], []
    for name, text in hostile_inputs().items():
        typical_stats, hostile_stats = sanitiser_pair(
            render, (typical_label, TYPICAL_REPLY), (name, text), *runs["render"]
        )
        typical_times += typical_stats.times
        hostile.append(hostile_stats)
    typical = Stats(typical_label, typical_times, runs["render"][0] * len(hostile))
    hostile.sort(key=lambda stats: stats.median, reverse=True)
    worst = hostile[0]
    table.pair(
        typical,
        Stats(f"hostile, {HOSTILE_LENGTH:,} chars: {worst.label}", worst.times, worst.warmup),
        "slowest hostile / typical",
        f"(the input is {HOSTILE_LENGTH / len(TYPICAL_REPLY):,.0f}x longer)",
    )
    table.note(f"  every hostile shape, {HOSTILE_LENGTH:,} chars:")
    for stats in hostile:
        table.rows.append(
            (
                f"    {stats.label}",
                stats.warmup,
                len(stats.times),
                ms(stats.median),
                ms(stats.p90),
                f"{stats.median / typical.median:,.0f}x typical",
            )
        )
    return {
        "desk": {
            "replies": listed,
            "first_median_ms": table.last_pairs[0][0].median * 1000,
            "last_median_ms": table.last_pairs[0][1].median * 1000,
        },
        "sanitiser": {
            "typical_median_ms": typical.median * 1000,
            "worst_hostile": worst.label,
            "worst_hostile_median_ms": worst.median * 1000,
        },
    }
