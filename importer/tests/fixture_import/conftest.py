"""The fixture export (fixtures/wordpress/dear-pursebop.wxr.xml) imported once for the tests
of this folder, as `manage.py import_wordpress` does it. Tests here only read; what one changes
is undone after it."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.images import get_image_model

from advice.models import Columnist, Topic
from testing.db import module_data
from testing.pages import add_column, delete_image_files, site_home
from testing.wordpress import EXPORT, UPLOADS


@pytest.fixture(scope="package")
def imported(django_db_setup, django_db_blocker):
    """The site, a column, an existing columnist and topic the import should reuse, and the
    fixture imported into them; the command's output and any email sent. Once for the
    folder: its modules run one after the other, inside the one import."""
    with module_data(django_db_blocker):
        column = add_column(site_home())
        avery = Columnist.objects.create(name="Avery Stone", slug="avery")
        care = Topic.objects.create(name="Care & repair", slug="care-repair")
        mail.outbox = []
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "import_wordpress",
            str(EXPORT),
            "--category=dear-pursebop",
            "--tags-as-topics",
            f"--uploads={UPLOADS}",
            "--old-site=https://old.example",
            stdout=out,
            stderr=err,
        )
        yield {
            "column": column,
            "avery": avery,
            "care": care,
            "out": out.getvalue(),
            "err": err.getvalue(),
            "mail": list(mail.outbox),
        }
        delete_image_files(get_image_model().objects.all())


@pytest.fixture(autouse=True)
def _db(db):
    """Every test reads the database (inside the folder's import)."""
