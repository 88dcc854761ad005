"""What the tests of `manage.py import_wordpress` runs share: running it on an export, and
counting what a run wrote."""

import io
import os

from django.conf import settings
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

from advice.models import Columnist, Topic
from comments.models import Reply
from importer.models import ImportedComment, ImportedImage, ImportedPost
from testing.wordpress import EXPORT, UPLOADS

OPTIONS = ["--category=dear-pursebop", f"--uploads={UPLOADS}", "--old-site=https://old.example"]
COUNTED = [
    Page,
    Revision,
    Reply,
    Redirect,
    Topic,
    Columnist,
    ImportedPost,
    ImportedComment,
    ImportedImage,
    ModelLogEntry,
    PageLogEntry,
]


def run(*args, export=EXPORT, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(export), *args, stdout=out, stderr=err, **options)
    return out.getvalue()


def counts():
    found = {model.__name__: model.objects.count() for model in COUNTED}
    found["Image"] = get_image_model().objects.count()
    return found


def media_files():
    root = settings.MEDIA_ROOT
    return {os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names}


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")


def summary_lines(out, *names):
    return [line for line in out.splitlines() if line.strip().startswith(names)]
