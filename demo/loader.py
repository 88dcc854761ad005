"""Build the demo site from demo/fixtures/: idempotent, so `make run` can call it every time.

Content lives in demo/fixtures/demo_content.json in a readable shape (a letter is its question, its
letter, its answer, and the slug of the column it appears in), not a dumpdata export with tree
paths and StreamField JSON: people write and review it, and this loader turns it into pages
through Wagtail's API. Everything is looked up by slug (images by title) first: what exists is
kept as it is, so a second run, or a run after editors changed a demo page (or renamed the
site), creates nothing twice and overwrites nothing.
"""

import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Site, Workflow, WorkflowPage

from advice.models import (
    AdviceIndexPage,
    Columnist,
    GuideIndexPage,
    GuidePage,
    HomePage,
    HomePageFeaturedGuide,
    LetterPage,
    LetterRelatedLink,
    Topic,
)
from comments.models import Reply, ReplyReport
from comments.signals import replies_changed
from demo.images import draw_bag, draw_portrait
from guard.addresses import address_hash
from mailbag.models import WriteInPage

CONTENT_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_content.json"
WELCOME_TITLE = "Welcome to your new Wagtail site!"
# Made by advice's migrations (0002, 0006): a second reader approves every answer.
ANSWER_REVIEW = "Answer review"


@dataclass
class LoadReport:
    created: int = 0
    kept: int = 0


class DemoLoader:
    def __init__(self, content, log):
        self.content = content
        self.log = log
        self.report = LoadReport()
        self.topics = {}
        self.columnists = {}

    def _note(self, created, label):
        if created:
            self.report.created += 1
            self.log(f"  created {label}")
        else:
            self.report.kept += 1

    def image(self, spec, draw):
        Image = get_image_model()
        image = Image.objects.filter(title=spec["title"]).first()
        if image is None:
            data = draw(spec["colors"], seed=spec["title"])
            name = slugify(spec["title"])[:80] + ".png"
            image = Image(title=spec["title"], description=spec.get("alt", ""))
            image.file = ImageFile(io.BytesIO(data), name=name)
            image.save()
            self._note(True, f"image '{spec['title']}'")
        return image

    def home(self):
        home = HomePage.objects.first()
        if home is not None:
            self._note(False, "home")
            return home
        # Wagtail's first migration makes a placeholder page; the demo home replaces it.
        for welcome in Page.objects.filter(depth=2, title=WELCOME_TITLE):
            welcome.delete()
        data = self.content["home"]
        home = HomePage(
            title=data["title"],
            slug=data["slug"],
            intro=data.get("intro", ""),
            write_in_heading=data.get("write_in_heading", "Write to PurseBop"),
            write_in_text=data.get("write_in_text", ""),
            **({"footer_text": data["footer_text"]} if "footer_text" in data else {}),
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        self._note(True, "home page")
        return home

    def site(self, home):
        host, _, port = settings.SITE_DOMAIN.partition(":")
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname = host
        site.port = int(port or 80)
        site.root_page = home
        # The name is the editors' (Settings → Sites) once set: a later run keeps it.
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
        # django.contrib.sites' record is what django-comments-xtd builds email links from.
        DjangoSite.objects.update_or_create(
            pk=settings.SITE_ID,
            defaults={"domain": settings.SITE_DOMAIN, "name": settings.WAGTAIL_SITE_NAME},
        )

    def snippets(self):
        for data in self.content.get("topics", []):
            topic, created = Topic.objects.get_or_create(
                slug=data["slug"],
                defaults={"name": data["name"], "description": data.get("description", "")},
            )
            self._note(created, f"topic '{topic}'")
            self.topics[topic.slug] = topic
        for data in self.content.get("columnists", []):
            columnist = Columnist.objects.filter(slug=data["slug"]).first()
            if columnist is None:
                columnist = Columnist.objects.create(
                    slug=data["slug"],
                    name=data["name"],
                    role=data.get("role", "Columnist"),
                    bio=data.get("bio", ""),
                    portrait=self.image(data["portrait"], draw_portrait)
                    if data.get("portrait")
                    else None,
                )
                self._note(True, f"columnist '{columnist}'")
            else:
                self._note(False, "columnist")
            self.columnists[columnist.slug] = columnist

    def child(self, parent, model, data, **fields):
        """The child of `parent` with this slug, or a new published one."""
        existing = parent.get_children().filter(slug=data["slug"]).specific().first()
        if existing is not None:
            self._note(False, data["slug"])
            return existing, False
        page = model(title=data["title"], slug=data["slug"], **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self._note(True, f"{model._meta.verbose_name} '{page.title}'")
        return page, True

    def dated(self, data):
        date = datetime.date.fromisoformat(data["date"])
        return {
            "date": date,
            "columnist": self.columnists.get(data.get("columnist")),
            "hero_image": self.image(data["image"], draw_bag) if data.get("image") else None,
        }

    def set_topics(self, page, data, created):
        if created:
            page.topics.set([self.topics[slug] for slug in data.get("topics", [])])
            page.save_revision().publish()

    def guides(self, home):
        index, _ = self.child(
            home,
            GuideIndexPage,
            self.content["guide_index"],
            intro=self.content["guide_index"].get("intro", ""),
            show_in_menus=True,
        )
        pages = {}
        for data in self.content.get("guides", []):
            page, created = self.child(
                index,
                GuidePage,
                data,
                dek=data.get("dek", ""),
                body=json.dumps(data["body"]),
                **self.dated(data),
            )
            self.set_topics(page, data, created)
            pages[page.slug] = page
        return pages

    def columns(self, home):
        """Every column, in the menu, then every letter in the column its "column" names."""
        columns = {}
        for data in self.content.get("columns", []):
            column, _ = self.child(
                home,
                AdviceIndexPage,
                data,
                intro=data.get("intro", ""),
                greeting=data.get("greeting", ""),
                show_in_menus=True,
            )
            columns[column.slug] = column
        pages, fresh = {}, []
        for data in sorted(self.content.get("letters", []), key=lambda item: item["date"]):
            page, created = self.child(
                columns[data["column"]], LetterPage, data, **letter_fields(data), **self.dated(data)
            )
            pages[page.slug] = page
            if created:
                fresh.append((page, data))
        return pages, fresh, columns

    def write_in(self, home, columns):
        """Each column's write-in page, under the column ("/dear-pursebop/write/"), chosen by
        its column. A database from before columns held their own has one page at /write/
        under the home page: it is moved under the first column rather than made twice, and
        the old address answers 301 to it (Wagtail leaves a redirect when a page moves; one is
        made here too when it did not, and on a new site, for links to the old address)."""
        first = None
        for data in self.content.get("columns", []):
            column = columns[data["slug"]]
            spec = data.get("write_in")
            if spec is None:
                continue
            if first is None:
                self.move_old_write_in(home, column, spec)
            page, _ = self.child(column, WriteInPage, spec, intro=spec.get("intro", ""))
            first = first or page
            chosen = column.write_in_page
            # The column's own page, unless editors chose another of this column's pages.
            if chosen is None or not chosen.path.startswith(column.path):
                column.write_in_page = page
                column.save_revision().publish()
        if first is not None:
            self.old_address_redirect(home, first)

    def move_old_write_in(self, home, column, spec):
        old = WriteInPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if old is None or column.get_children().filter(slug=spec["slug"]).exists():
            return
        old.move(column, pos="last-child")
        column.refresh_from_db()  # the tree changed under it: numchild, for pages added later
        self.log(f"  moved the write-in page under '{column.title}'")

    def old_address_redirect(self, home, page):
        """/<slug>/ under the home page, where the one write-in page used to be, to `page`."""
        if home.get_children().filter(slug=page.slug).exists():
            return  # something lives at the old address
        old_path = Redirect.normalise_path(f"/{page.slug}/")
        if not Redirect.objects.filter(old_path=old_path).exists():
            Redirect.add_redirect(old_path, redirect_to=page, is_permanent=True)
            self._note(True, f"redirect {old_path} to {page.url}")

    def review(self, home):
        """Every column's letters go through "Answer review": the column gets the workflow
        (Wagtail's own "Moderators approval", on the root page, would govern them otherwise).
        A column that already has a workflow of its own keeps it, whichever an editor chose."""
        workflow = Workflow.objects.filter(name=ANSWER_REVIEW, active=True).first()
        if workflow is None:  # removed or disabled by an administrator: theirs to decide
            return
        for column in AdviceIndexPage.objects.child_of(home):
            _, created = WorkflowPage.objects.get_or_create(
                page=column, defaults={"workflow": workflow}
            )
            self._note(created, f"workflow '{workflow.name}' on '{column.title}'")

    def related_links(self, fresh, by_slug):
        """Second pass: related reading may point at letters created after the one citing them."""
        for page, data in fresh:
            page.topics.set([self.topics[slug] for slug in data.get("topics", [])])
            for order, item in enumerate(data.get("related", [])):
                LetterRelatedLink.objects.create(
                    letter=page,
                    sort_order=order,
                    link_page=by_slug.get(item.get("page")),
                    external_url=item.get("url", ""),
                    label=item.get("label", ""),
                )
            page.save_revision().publish()

    def featured(self, home, guides):
        if home.featured_guides.exists():
            return
        for order, slug in enumerate(self.content["home"].get("featured_guides", [])):
            if slug in guides:
                HomePageFeaturedGuide.objects.create(
                    home=home, guide=guides[slug], sort_order=order
                )

    def replies(self, letters):
        """Readers' replies for the desk to show: some published, some held, one reported,
        one rejected. Only for letters that have no replies yet."""
        letter_type = ContentType.objects.get_for_model(LetterPage)
        taken = set(
            Reply.objects.filter(content_type=letter_type).values_list("object_pk", flat=True)
        )
        site_id = DjangoSite.objects.get_current().pk
        made = []
        for number, data in enumerate(self.content.get("replies", [])):
            page = letters.get(data["letter"])
            if page is None or str(page.pk) in taken:
                made.append(None)
                continue
            posted = datetime.datetime.combine(
                page.date + datetime.timedelta(days=data["days_after"]),
                datetime.time(9 + number, 15),
                tzinfo=datetime.UTC,
            )
            parent = made[data["reply_to"]] if "reply_to" in data else None
            reply = Reply(
                content_type=letter_type,
                object_pk=str(page.pk),
                site_id=site_id,
                user_name=data["name"],
                user_email=data["email"],
                comment=data["text"],
                submit_date=posted,
                ip_address=f"192.0.2.{number + 10}",
                status=data["status"],
                hold_reason=data.get("hold_reason", ""),
                rejection_reason=data.get("rejection_reason", ""),
                parent_id=parent.pk if parent else 0,
            )
            reply.save()
            if reply.is_published:  # as comments.lifecycle announces a reply shown
                replies_changed.send(sender=Reply, reply=reply)
            for reason_number, reason in enumerate(data.get("reports", [])):
                ReplyReport.objects.create(
                    reply=reply,
                    reason=reason,
                    reporter_hash=address_hash(f"demo-{number}-{reason_number}"),
                )
            made.append(reply)
            self._note(True, f"reply by {data['name']}")

    def run(self):
        home = self.home()
        self.site(home)
        self.snippets()
        letters, fresh, columns = self.columns(home)
        self.write_in(home, columns)
        guides = self.guides(home)
        self.related_links(fresh, {**guides, **letters})
        self.featured(home, guides)
        self.replies(letters)
        self.review(home)
        return self.report


def letter_fields(data):
    """A letter's fields from its readable shape in the demo content file."""
    return {
        "dek": data.get("dek", ""),
        "letter": data["letter"],
        "pen_name": data["pen_name"],
        "salutation": data.get("salutation", ""),
        "answer": json.dumps(data["answer"]),
        "sign_off": data.get("sign_off", ""),
    }


def read_content():
    with open(CONTENT_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_demo_content(log=lambda message: None, content=None):
    return DemoLoader(content if content is not None else read_content(), log).run()
