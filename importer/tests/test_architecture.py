"""The importer sits on top: it may import advice and comments, and nothing of ours imports
it (its command and its Wagtail hook are found by Django and Wagtail, not imported)."""

import ast
from pathlib import Path

from django.conf import settings

OURS = {"config", "advice", "comments", "guard", "importer", "mailbag", "outbox", "pagecache"}


def imports_of(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


def modules(app):
    for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
        if "migrations" not in path.parts:
            yield path


def test_nothing_of_ours_imports_the_importer():
    for app in OURS - {"importer"}:
        for path in modules(app):
            assert "importer" not in imports_of(path), path


def test_the_importer_imports_only_the_column_replies_and_text_rules_of_ours():
    """The column and replies it fills, and guard (the bottom floor: its rules for reader
    text, shared with the forms); never the email queue, the page cache or reader letters."""
    allowed = {"advice", "comments", "guard", "importer"}
    for path in modules("importer"):
        if "tests" in path.parts:
            continue
        assert imports_of(path) & (OURS | {"testing"}) <= allowed, path


def test_each_module_of_the_importer_stays_readable():
    """Under 400 lines each: a room per concern (letters, images, replies, report, writes)."""
    for path in modules("importer"):
        if "tests" not in path.parts:
            assert len(path.read_text().splitlines()) < 400, path
