"""The benchmark's data set: the demo site grown to BENCH_LETTERS letters (10,000 by default)
over 20 topics, made once in bulk and kept between runs.

Wagtail's `add_child` and Django's `bulk_create` are both too slow or unable here: a page is a
row in wagtailcore_page and one in advice_letterpage (multi-table inheritance, which
`bulk_create` refuses), and a reply three rows (django_comments, xtd, comments_reply). So the
rows are written table by table with ids chosen here, treebeard's paths computed directly
(`Page._get_path`), in one transaction; the search index is filled through the search
backend's own bulk call. Letters are live with no revisions: serving a page never reads one.

Some letters carry replies: approved, in threads of one to five replies (THREAD_LEVELS), one
in three by a registered user. The letters `bench-letter-0` (no replies),
`bench-letter-200` and `bench-letter-1000` are the benchmark's named ones (BENCH_REPLIES sets
the largest count; the middle one has a fifth of it).
"""

import datetime
import itertools
import json
import random
import uuid

DATA_VERSION = 3  # bump when the shape of the generated data changes: old data sets are rebuilt
TOPICS = 20
BATCH = 500
# The search backend's bulk call recomputes every entry's title norm after each call (a pass
# over the whole index on SQLite): calls of 5,000 keep 100,000 letters to twenty passes.
INDEX_BATCH = 5_000
COMMON_WORD = "leather"  # in almost every generated letter
RARE_WORD = "quokka"  # in 5 letters whatever the size (one in 2,000 of 10,000)
MISSPELT_WORD = "lether"  # finds nothing; its correction is COMMON_WORD (advice.spelling)
# A thread's replies by level, for threads of one to five replies in turn: each answers the one
# before it, down to level 3 (COMMENTS_XTD_MAX_THREAD_LEVEL); the fifth answers the first.
THREAD_LEVELS = (0, 1, 2, 3, 1)

WORDS = (
    "bag leather strap handle clasp lining boutique receipt colour stitching corner hardware "
    "dust tote flap zip waiting list resale deposit order colourway gift repair shop sales "
    "associate travel suede canvas patina edge paint vintage auction box ribbon invoice quota"
).split()
EXTRA_TOPICS = [
    "Straps and handles",
    "Linings",
    "Colours",
    "Small leather goods",
    "Gifts",
    "Auctions",
    "Insurance",
    "Storage",
    "Cleaning",
    "Sizing",
    "Exotics",
    "Vintage",
    "Sales associates",
    "Boxes and packaging",
    "Customs",
    "Prices",
]


def describe(letters, replies):
    """What a kept data set must match to be used again."""
    return f"bench data v{DATA_VERSION}: {letters} letters, replies up to {replies}"


def reply_plan(letters, replies):
    """[(letter number, number of approved replies), ...] for the generated letters.

    Letter 0 has none; letters 1-5 have a fifth of `replies`, letters 6-7 `replies`; one letter
    in four of the rest has two (so listings show counts), the others none."""
    middle = max(1, replies // 5)
    plan = dict.fromkeys(range(1, 6), middle)
    plan.update({6: replies, 7: replies})
    for n in range(8, letters):
        if n % 4 == 0:
            plan[n] = 2
    return [(n, count) for n, count in sorted(plan.items()) if n < letters]


def named_letters(replies):
    """The slugs of the letters the benchmark times, by key."""
    return {
        "letter_0": "bench-letter-0",
        "letter_200": "bench-letter-1",
        "letter_1000": "bench-letter-6",
        "reply_target": "bench-letter-2",  # posts land here, so the timed pages never change
    }


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def _insert(model, objs, using):
    """INSERT the rows of `model`'s own table (not its parents') for `objs`, in batches."""
    fields = model._meta.local_concrete_fields
    for start in range(0, len(objs), BATCH):
        model._base_manager._insert(objs[start : start + BATCH], fields=fields, using=using)


def insert_rows(model, objs, using="default"):
    """Write multi-table model instances whose ids are already set: each table of the
    inheritance chain, root first."""
    chain = [*reversed(model._meta.get_parent_list()), model]
    for table_model in chain:
        _insert(table_model, objs, using)


def next_id(model):
    from django.db.models import Max

    return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(*models):
    """PostgreSQL's id sequences past the ids written here (SQLite needs nothing)."""
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def make_topics():
    from django.utils.text import slugify

    from advice.models import Topic

    existing = Topic.objects.count()
    for name in EXTRA_TOPICS[: max(0, TOPICS - existing)]:
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return list(Topic.objects.order_by("pk"))


def make_letters(column, count, progress):
    """`count` live letters under `column`, numbered from 0, newest last."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Page

    from advice.models import Columnist, LetterPage

    rng = random.Random(2026)
    topics = make_topics()
    columnists = list(Columnist.objects.order_by("pk"))
    content_type = ContentType.objects.get_for_model(LetterPage)
    first_id = next_id(Page)
    last_child = column.get_last_child()
    first_step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    depth = column.depth + 1
    today = timezone.localdate()
    now = timezone.now()
    letters, links = [], []
    rare_step = max(1, count // 5)  # the rare word's letters: as many at every size
    for n in range(count):
        pk = first_id + n
        slug = f"bench-letter-{n}"
        words = [rng.choice(WORDS) for _ in range(3)]
        title = f"Question {n}: what about my {words[0]} {words[1]}?"
        rare = f" My {RARE_WORD} charm matters too." if n % rare_step == rare_step - 1 else ""
        letter_html = "".join(
            f"<p>{paragraph(rng)}{rare if i == 0 else ''} The {COMMON_WORD} is fine.</p>"
            for i in range(2)
        )
        answer = [{"type": "paragraph", "value": f"<p>{paragraph(rng, 5)}</p>"} for _ in range(3)]
        date = today - datetime.timedelta(days=(count - n) // 3)
        published = now - datetime.timedelta(days=(count - n) // 3)
        letters.append(
            LetterPage(
                id=pk,
                page_ptr_id=pk,
                path=Page._get_path(column.path, depth, first_step + n),
                depth=depth,
                numchild=0,
                translation_key=uuid.uuid4(),
                locale_id=column.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                title=title,
                draft_title=title,
                slug=slug,
                content_type_id=content_type.pk,
                url_path=f"{column.url_path}{slug}/",
                seo_title="",
                search_description="",
                dek=sentence(rng, 10),
                letter=letter_html,
                pen_name=f"Reader Number {n}",
                salutation="",
                answer=json.dumps(answer),
                sign_off="Good luck!",
                columnist_id=columnists[n % len(columnists)].pk if columnists else None,
                date=date,
                allow_replies=True,
            )
        )
        for topic in {topics[n % TOPICS], topics[(n * 7 + 3) % TOPICS]}:
            links.append((pk, topic.pk))
    progress(f"  writing {count:,} letter pages")
    insert_rows(LetterPage, letters)
    Page.objects.filter(pk=column.pk).update(numchild=column.numchild + count)
    through = LetterPage.topics.through
    through.objects.bulk_create(
        [through(letterpage_id=page, topic_id=topic) for page, topic in links], batch_size=BATCH
    )
    reset_sequences(Page, through)
    return first_id


def make_users(count=30):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = []
    for n in range(count):
        user, _ = User.objects.get_or_create(
            username=f"bench-reader-{n}",
            defaults={"email": f"bench-reader-{n}@example.com", "first_name": f"Member {n}"},
        )
        users.append(user)
    return users


def make_replies(plan, first_letter_id, progress):
    """Approved replies per `plan` [(letter number, count)], threads of one to five, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_comments.models import Comment

    from advice.models import LetterPage
    from comments import sanitize
    from comments.models import Reply, ReplyStatus

    content_type = ContentType.objects.get_for_model(LetterPage)
    users = make_users()
    now = timezone.now().replace(microsecond=0)
    pk = itertools.count(next_id(Comment))
    texts = [
        f"Reply text {k}: I kept the receipt and the dust bag, as you said."
        + (f" More at https://example.com/{k} and *more*." if k % 3 == 0 else " <em>Agreed.</em>")
        for k in range(24)
    ]
    rendered = [(sanitize.render_reply(t), sanitize.count_links(t)) for t in texts]
    replies = []
    for number, count in plan:
        object_pk = str(first_letter_id + number)
        size = position = 0  # the thread's size (1 to 5, in turn) and this reply's place in it
        for k in range(count):
            if position == size:  # a new thread
                size, position = size % len(THREAD_LEVELS) + 1, 0
                size = min(size, count - k)
                thread, ancestors = next(pk), []
            level = THREAD_LEVELS[position]
            reply_id = thread if level == 0 else next(pk)
            ancestors = ancestors[:level] + [reply_id]
            below = len(list(itertools.takewhile(level.__lt__, THREAD_LEVELS[position + 1 : size])))
            position += 1
            user = users[k % len(users)] if k % 3 == 0 else None
            posted = now - datetime.timedelta(days=400) + datetime.timedelta(minutes=k)
            html, link_count = rendered[k % len(texts)]
            replies.append(
                Reply(
                    id=reply_id,
                    comment_ptr_id=reply_id,
                    xtdcomment_ptr_id=reply_id,
                    content_type_id=content_type.pk,
                    object_pk=object_pk,
                    site_id=1,
                    user_id=user.pk if user else None,
                    user_name=user.first_name if user else f"Reader {k}",
                    user_email=user.email if user else f"reader{k}@example.com",
                    user_url="",
                    comment=texts[k % len(texts)],
                    submit_date=posted,
                    ip_address=f"10.{k // 62_500 % 250}.{k // 250 % 250}.{k % 250 + 1}",
                    is_public=True,
                    is_removed=False,
                    thread_id=thread,
                    parent_id=ancestors[level - 1] if level else reply_id,
                    level=level,
                    order=position,
                    followup=False,
                    nested_count=below,
                    status=ReplyStatus.APPROVED,
                    html=html,
                    policy_version=sanitize.POLICY_VERSION,
                    link_count=link_count,
                    hold_reason="",
                    rejection_reason="",
                    author_badge="editor" if k % 7 == 0 else "",
                    notify_on_publish=False,
                    status_changed_at=posted,
                    first_approved_at=posted,
                    followers_due=False,
                )
            )
    progress(f"  writing {len(replies):,} approved replies")
    insert_rows(Reply, replies)
    reset_sequences(Comment)
    return len(replies)


def index_letters(first_id, count, progress):
    """The search index entries of the generated letters, through the backend's bulk call."""
    from wagtail.search.backends import get_search_backend

    from advice.models import LetterPage

    backend = get_search_backend()
    letters = (
        LetterPage.objects.filter(pk__gte=first_id, pk__lt=first_id + count)
        .select_related("columnist")
        .prefetch_related("topics")
        .order_by("pk")
    )
    progress(f"  indexing {count:,} letters for search")
    for start in range(0, count, INDEX_BATCH):
        backend.add_bulk(LetterPage, list(letters[start : start + INDEX_BATCH]))


def rebuild_vocabulary():
    """The words "Did you mean …?" suggests from (advice.spelling), from every live page."""
    from advice.spelling import rebuild

    rebuild()


def add_floor_page(home, description):
    """The yardstick: a bare Wagtail Page (bench/templates/wagtailcore/page.html is one line),
    whose search description records which data set this is."""
    from wagtail.models import Page

    floor = Page(title="Floor", slug="bench-floor", search_description=description)
    home.add_child(instance=floor)
    floor.save_revision().publish()
    return floor


def build(letters, replies, progress):
    """The whole data set, in one transaction."""
    from django.db import transaction

    from advice.feeds import fill_feed_texts
    from advice.models import AdviceIndexPage, HomePage
    from advice.models.listing import relist_under
    from comments.counts import recount_all
    from demo.loader import load_demo_content

    with transaction.atomic():
        progress("  demo content")
        load_demo_content()
        home = HomePage.objects.get()
        column = AdviceIndexPage.objects.get(slug="dear-pursebop")
        first_id = make_letters(column, letters, progress)
        relist_under(column)  # written as rows, not saved as pages: listed here
        made = make_replies(reply_plan(letters, replies), first_id, progress)
        progress("  the cards' reply counts")
        recount_all()  # likewise: the replies were written as rows, not through the lifecycle
        index_letters(first_id, letters, progress)
        progress("  the search's vocabulary")
        rebuild_vocabulary()  # the letters were written as rows, not published
        progress("  the feed texts")
        fill_feed_texts()  # likewise: what publishing each letter would have stored
        add_floor_page(home, describe(letters, replies))
    analyze()
    return made


def analyze():
    """PostgreSQL's planner statistics for the rows just written: without them it plans for
    the empty tables it last saw (until autovacuum comes by), not for the site as served."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def existing_description():
    """The kept data set's description, or None when there is none (or it is incomplete)."""
    from wagtail.models import Page

    floor = Page.objects.filter(slug="bench-floor").only("search_description").first()
    return floor.search_description if floor else None
