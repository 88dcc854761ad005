"""Posts as letters: the letter split from the answer (importer.content), its columnist,
topics, pictures and old addresses. A post not in the letter's shape is kept whole as the
answer with no letter and no pen name (so it opens with the column's default salutation, or
none), as a draft listed for review (--unmatched draft), published as it was when it was public
on WordPress (--unmatched publish), or left out (--unmatched skip)."""

import datetime
import json
from urllib.parse import unquote, urlsplit

from django.utils.text import Truncator, slugify
from wagtail.contrib.redirects.models import Redirect

from advice.models import Columnist, LetterPage, Topic
from guard.text import clean_name
from importer.content import blocks_of
from importer.letter_shape import split_letter
from importer.names import login, strip_tags, unique_slug
from importer.report import wordpress_status

# A post not in the letter's shape names no pen name: the answer opens with the column's
# default salutation (“Dear reader,”) or none, never "Dear A reader:".
PEN_NAME_UNKNOWN = ""
IGNORED_TERMS = {"uncategorized"}  # WordPress's default category says nothing about a letter
# The most a post's body may hold: a long letter and answer are tens of kilobytes; a body of
# megabytes is no letter, and parsing and storing it would hold a worker and the page's rows.
MAX_POST_CHARACTERS = 1_000_000


class TooLarge(ValueError):
    """A post's body is larger than any letter (MAX_POST_CHARACTERS)."""


class Letters:
    """The importer's letters (a part of importer.importing.Importer)."""

    def title(self, post):
        title = " ".join(strip_tags(post.title).split())
        return title[:255] or f"Untitled letter (WordPress post {post.id})"

    def create_page(self, post):
        if len(post.content) > MAX_POST_CHARACTERS:
            raise TooLarge(
                f"its body is {len(post.content):,} characters, more than the "
                f"{MAX_POST_CHARACTERS:,} a letter may hold; shorten it in WordPress and import "
                "again"
            )
        blocks = blocks_of(post.content, self.old_site)
        letter, why = split_letter(blocks, self.greeting)
        if letter is None and self.unmatched == "skip":
            self.report.unmatched_skipped.append(
                (self.title(post), post.id, why, wordpress_status(post))
            )
            return None, None
        published = post.status == "publish" and not post.password
        moment = post.published_at or datetime.datetime.now(tz=datetime.UTC)
        title = self.title(post)
        fields = {
            "title": title,
            "slug": self.slug(post, title),
            "dek": Truncator(" ".join(strip_tags(post.excerpt).split())).chars(300),
            "date": moment.date(),
            "columnist": self.columnist(post),
            "hero_image": self.featured_image(post),
            "allow_replies": post.comment_status != "closed",
            "imported": True,  # not news: nothing that announces new letters sends it
        }
        if letter is not None:
            salutation = letter.salutation
            fields.update(
                letter="".join(block.rich_text() for block in letter.letter),
                pen_name=letter.pen_name,
                salutation="" if salutation == f"Dear {letter.pen_name}:" else salutation,
                answer=self.stream(letter.answer, post),
            )
        else:
            fields.update(letter="", pen_name=PEN_NAME_UNKNOWN, answer=self.stream(blocks, post))
        if letter is not None and fields["answer"] == "[]":
            letter, why = None, "nothing is left of the answer without its missing images"
            fields.update(letter="", pen_name=PEN_NAME_UNKNOWN, answer=self.stream(blocks, post))
        page = LetterPage(**fields)
        as_it_was = letter is None and published and self.unmatched == "publish"
        page.live = published and (letter is not None or as_it_was)
        if post.status == "publish":
            # Kept when an editor publishes a draft later: the letter keeps its first date.
            page.first_published_at = moment
        self.writes.letter(self.column, page, self.topics(post), moment)
        if page.live:
            self.report.letters += 1
        elif not published:
            self.report.drafts += 1  # as it was on WordPress, in the letter's shape or not
        if as_it_was:
            self.report.published_as_is.append((title, post.id, why, wordpress_status(post)))
        elif letter is None:
            self.report.review.append((title, post.id, why, page.pk, wordpress_status(post)))
        record = self.writes.record(self.source, post.id, page)
        self.log(
            f"  + {'letter' if page.live else 'draft'} '{title}' at {self.path_of(page)} "
            f"(WordPress post {post.id})",
            2,
        )
        return page, record

    def slug(self, post, title):
        wanted = slugify(unquote(post.name), allow_unicode=True)[:240]
        base = wanted or slugify(title, allow_unicode=True)[:240] or f"letter-{post.id}"
        slug, number = base, 1
        taken = set(self.column.get_children().values_list("slug", flat=True)) | self._slugs
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        if wanted and slug != wanted:
            self.report.renamed.append((wanted, slug))
        self._slugs.add(slug)
        return slug

    def path_of(self, page):
        """The letter's address on this site (a dry run's letter is not saved: where it would
        be, under the column)."""
        if page.pk is not None:
            parts = page.get_url_parts()
            return parts[2] if parts else ""
        parts = self.column.get_url_parts()
        return f"{parts[2]}{page.slug}/" if parts else ""

    def stream(self, blocks, post):
        """The answer's StreamField data: paragraphs, headings, pull quotes, pictures."""
        data = []
        for block in blocks:
            if block.kind in {"paragraph", "list"}:
                data.append({"type": "paragraph", "value": block.rich_text()})
            elif block.kind == "heading":
                data.append({"type": "heading", "value": block.text[:255]})
            elif block.kind == "quote":
                value = {"quote": block.text, "attribution": block.attribution[:255]}
                data.append({"type": "pull_quote", "value": value})
            elif block.kind == "image":
                image = self.image(block.src, block.attachment, post)
                if image is not None:
                    alt = block.alt or image.description or image.title
                    value = {"image": image.pk, "decorative": False, "alt_text": alt[:255]}
                    data.append(
                        {"type": "image", "value": {"image": value, "caption": block.caption}}
                    )
        return json.dumps(data)

    def columnist(self, post):
        """The post's author (dc:creator → the export's author → display name) as a columnist:
        an existing one with that name or slug, else a new one."""
        creator = login(post.creator)
        if creator in self._columnists:
            return self._columnists[creator]
        author = self.authors.get(creator)
        name = clean_name(strip_tags((author.display_name if author else "") or creator))[:120]
        columnist = None
        if name:
            columnist = (
                Columnist.objects.filter(name__iexact=name).first()
                or Columnist.objects.filter(slug=slugify(name)).first()
                or Columnist.objects.filter(slug=slugify(creator)).first()
            )
            keys = [("columnist", name.casefold()), ("columnist", slugify(creator))]
            columnist = columnist or next((self._made[k] for k in keys if k in self._made), None)
            if columnist is None:
                slug = unique_slug(
                    Columnist, slugify(name)[:110] or slugify(creator)[:110] or "columnist"
                )
                columnist = self.writes.columnist(name, slug)
                self._made.update(dict.fromkeys(keys, columnist))
                self.report.columnists.append(name)
        self._columnists[creator] = columnist
        return columnist

    def topics(self, post):
        found = []
        for term in post.terms:
            mapped = self.topic_map is not None and term.slug in self.topic_map
            if term.domain not in self.term_domains and not mapped:
                continue
            if term.slug == self.category or term.slug in IGNORED_TERMS:
                continue
            topic = self.topic(term)
            if topic is not None and topic not in found:
                found.append(topic)
        return found

    def topic(self, term):
        if term.slug in self._topics:
            return self._topics[term.slug]
        if self.topic_map is not None:  # a term mapped to nothing is left out on purpose
            slug = self.topic_map.get(term.slug)
            if term.slug not in self.topic_map:
                self.report.unmapped.add(term.slug)
            topic = Topic.objects.filter(slug=slug).first() if slug else None
        else:
            slug = slugify(unquote(term.slug))[:80] or slugify(term.name)[:80]
            name = clean_name(strip_tags(term.name))[:80] or slug
            topic = (
                Topic.objects.filter(slug=slug).first()
                or Topic.objects.filter(name__iexact=name).first()
            )
            keys = [("topic", slug), ("topic", name.casefold())]
            topic = topic or next((self._made[k] for k in keys if k in self._made), None)
            if topic is None and slug:
                topic = self.writes.topic(name, slug)
                self._made.update(dict.fromkeys(keys, topic))
                self.report.topics.append(name)
        self._topics[term.slug] = topic
        return topic

    # -- old addresses

    def old_paths(self, post):
        """The post's old addresses on this site: its <link>, and the usual permalink shapes
        (/YYYY/MM/DD/slug/, /YYYY/MM/slug/, /slug/, /?p=ID) under the old site's path."""
        old = urlsplit(self.old_site)
        prefix = old.path.rstrip("/")
        paths = []
        link = urlsplit(post.link)
        if post.link and _host(link.netloc) == _host(old.netloc):
            paths.append(link.path + (f"?{link.query}" if link.query else ""))
        when = post.date or post.published_at
        if post.name and when:
            paths += [
                f"{prefix}/{when:%Y/%m/%d}/{post.name}/",
                f"{prefix}/{when:%Y/%m}/{post.name}/",
                f"{prefix}/{post.name}/",
            ]
        paths.append(f"{prefix}/?p={post.id}")
        unique = []
        for path in paths:
            normal = Redirect.normalise_path(path)
            if normal not in unique:
                unique.append(normal)
        return unique

    def redirect(self, post, page, record):
        """The post's old addresses kept with its record; redirects made while its letter is
        live (importer.redirects adds them when an editor publishes it later)."""
        own = self.path_of(page)
        own = Redirect.normalise_path(own) if own else ""
        paths = [path for path in self.old_paths(post) if path not in (own, "/")]
        if record.old_paths != paths:
            self.writes.old_paths(record, paths)
        if not page.live:
            self.report.redirects_waiting += len(paths)
            return
        made, before, conflicts = self.writes.redirects(page, paths, self.site)
        self.report.redirects += made
        self.report.redirects_before += before
        self.report.conflicts += [(path, post.id) for path in conflicts]


def _host(netloc):
    host = netloc.lower().rsplit("@", 1)[-1]
    return host.removeprefix("www.")
