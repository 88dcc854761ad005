"""How long `manage.py import_wordpress` takes on a large export: 1,000 posts with 20,000
comments by default, generated here (testing.wordpress writes the XML) into a temporary folder
and imported into a throwaway SQLite database with the test settings (bench.database.configure:
never db.sqlite3, never Redis). Times the parse and check, the import, and a second run of the
same file (which finds everything imported before). Asserts nothing.

The comments are spread over the posts (20 each by default) in WordPress's shapes: about 45 %
start a thread, the rest answer an earlier comment of the same post, down to six levels (ours
stop at four, so the deeper ones are hung higher); 90 % approved, 5 % pending, 3 % spam, 2 %
pingbacks. No images: reading files is not what is measured.

    .venv/bin/python bench/wordpress.py                       # 1,000 posts, 20,000 comments
    .venv/bin/python bench/wordpress.py --posts 50 --comments 1000   # a smoke check
"""

import argparse
import io
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.database import build_schema, configure  # noqa: E402
from bench.report import progress, say  # noqa: E402
from testing.wordpress import comment_xml, export_xml, letter_body, post_xml  # noqa: E402

TOPICS = [("care-and-repair", "Care & repair"), ("buying", "Buying"), ("resale", "Resale")]
WORDS = (
    "bag leather strap handle clasp lining boutique receipt colour stitching corner hardware "
    "dust tote flap zip waiting list resale deposit order colourway gift repair shop"
).split()


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


def comments_for(rng, post, first_id, count):
    """`count` comments on one post, threaded and in every state, an hour apart."""
    made, depth = [], {}
    for n in range(count):
        number = first_id + n
        parent = 0
        if made and rng.random() > 0.45:
            parent = rng.choice(made)
            if depth[parent] >= 5:  # WordPress's threads stop somewhere too
                parent = 0
        depth[number] = depth[parent] + 1 if parent else 0
        roll = rng.random()
        approved, kind = "1", "comment"
        if roll < 0.05:
            approved = "0"
        elif roll < 0.08:
            approved = "spam"
        elif roll < 0.10:
            kind = "pingback"
        text = f"<p>{sentence(rng, 20)}</p>\n<p>{sentence(rng, 12)} &amp; more.</p>"
        made.append(number)
        yield comment_xml(
            number,
            text,
            author=f"Reader {number % 997}",
            email=f"reader{number % 997}@example.com",
            date=f"2024-{post % 12 + 1:02d}-{post % 27 + 1:02d} {n % 24:02d}:{n % 60:02d}:00",
            approved=approved,
            parent=parent,
            kind=kind,
            ip=f"10.{n % 250}.{post % 250}.{number % 250 + 1}",
        )


def generate(path, posts, comments, seed=2024):
    """Write an export of `posts` letters and `comments` comments to `path`; its size."""
    rng = random.Random(seed)
    per_post, extra = divmod(comments, posts)
    items, next_comment = [], 1
    for number in range(1, posts + 1):
        count = per_post + (number <= extra)
        body = letter_body(
            "\n\n".join(paragraph(rng) for _ in range(2)),
            f"Reader Number {number}",
            "\n\n".join(paragraph(rng) for _ in range(5)),
        )
        items.append(
            post_xml(
                number,
                f"Question number {number} about a {rng.choice(WORDS)}?",
                body,
                name=f"question-number-{number}",
                date=f"20{number % 10 + 14}-{number % 12 + 1:02d}-{number % 27 + 1:02d} 10:00:00",
                categories=[("dear-pursebop", "Dear PurseBop"), rng.choice(TOPICS)],
                comments=list(comments_for(rng, number, next_comment, count)),
            )
        )
        next_comment += count
    path.write_text(export_xml(items), encoding="utf-8")
    return path.stat().st_size


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000)
    parser.add_argument("--comments", type=int, default=20_000)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pursebop-bench-wp-") as scratch:
        scratch = Path(scratch)
        configure(scratch)

        import django
        import wagtail
        from django.core.management import call_command

        from importer.wxr import read_export
        from testing.pages import add_column, site_home

        progress(f"migrating a throwaway database in {scratch}")
        build_schema()
        add_column(site_home())

        export = scratch / "export.xml"
        progress(f"writing an export of {options.posts:,} posts, {options.comments:,} comments")
        size = generate(export, options.posts, options.comments)

        clock = time.perf_counter()
        read_export(export)
        parsed = time.perf_counter() - clock

        timings, summaries = [], []
        for label in ("import", "second run"):
            progress(f"{label}: manage.py import_wordpress")
            out = io.StringIO()
            clock = time.perf_counter()
            call_command(
                "import_wordpress",
                str(export),
                "--category=dear-pursebop",
                stdout=out,
                stderr=sys.stderr,
            )
            timings.append(time.perf_counter() - clock)
            summaries.append(out.getvalue())

        say(
            f"import_wordpress: {options.posts:,} posts, {options.comments:,} comments "
            f"({size / 1e6:.1f} MB export), {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, Django {django.get_version()}, Wagtail "
            f"{wagtail.__version__}, django-comments-xtd {version('django-comments-xtd')}, "
            f"SQLite {sqlite3.sqlite_version}"
        )
        imported, again = timings
        say(f"  read and check the file: {parsed:6.1f} s")
        say(
            f"  import:                  {imported:6.1f} s  ({options.posts / imported:.1f} "
            f"posts/s, {options.comments / imported:.0f} comments/s)"
        )
        say(f"  second run:              {again:6.1f} s")
        say()
        say(summaries[0])
        say(summaries[1])


if __name__ == "__main__":
    main()
