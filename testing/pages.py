"""Pages for tests: the tree's root as Wagtail's migrations leave it, publishing, answers,
images drawn in memory."""

import datetime
import io
import itertools
import json

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from advice.models import AdviceIndexPage, HomePage, LetterPage, LetterRelatedLink


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_page_tree_root():
    """Wagtail's root page, root collection and default locale come from its migrations. The
    browser tests' flush can leave them out (seen when unittest-style TestCase classes ran in
    the same session, despite serialized_rollback), so recreate them when missing."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE.split("-")[0])
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(title="Root", slug="root")


def answer(*paragraphs, quote=None):
    blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
    if quote:
        blocks.insert(1, {"type": "pull_quote", "value": {"quote": quote, "attribution": ""}})
    return json.dumps(blocks)


def make_image(title="A handbag", colour="tan", size=(32, 20)):
    """A Wagtail image of a small PNG drawn in memory."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def delete_image_files(images):
    """Remove the files of images and their renditions from MEDIA_ROOT.

    Wagtail deletes them on commit, which a test rolled back never reaches. MEDIA_ROOT itself
    stays as the test settings have it: config/urls.py reads it once, for serving media.
    """
    for image in images:
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
        image.file.delete(save=False)


def site_home():
    """A published HomePage as the root of the default Site (the one Wagtail's migration made).

    Reusing that Site rather than adding a second default keeps page URLs relative.
    """
    root = ensure_page_tree_root()
    home = publish_child(
        root, HomePage(title="Dear PurseBop", slug="pursebop", intro="<p>Advice on handbags.</p>")
    )
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.hostname = "testserver"
    site.port = 80
    site.save()
    return home


def add_column(home, **fields):
    values = {
        "title": "Dear PurseBop",
        "slug": "dear-pursebop",
        "intro": "<p>Letters and answers.</p>",
    }
    return publish_child(home, AdviceIndexPage(**{**values, **fields}))


def letter_maker(column, columnist):
    """make(title=None, topics=(), related=(), parent=None, **fields): a published letter,
    numbered (title, slug, text, a date one day later than the last)."""
    counter = itertools.count(1)

    def make(title=None, topics=(), related=(), parent=None, **fields):
        n = next(counter)
        values = {
            "title": title or f"Question number {n}?",
            "slug": fields.pop("slug", f"question-{n}"),
            "letter": f"<p>Letter text number {n}.</p>",
            "pen_name": f"Reader {n}",
            "answer": answer(f"Answer text number {n}."),
            "sign_off": "Good luck!",
            "columnist": columnist,
            "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        }
        values.update(fields)
        page = LetterPage(**values)
        (parent or column).add_child(instance=page)
        page.topics.set(topics)
        for order, target in enumerate(related):
            LetterRelatedLink.objects.create(letter=page, link_page=target, sort_order=order)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


def listed(client, url):
    """The titles of the letter cards on a listing page (which must answer 200)."""
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in soup.select(".card__title a")]
