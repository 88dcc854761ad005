"""The apps depend one way (advice → comments → guard, and outbox; mailbag → advice, guard,
outbox and comments' passes): comments and guard never import the column, nobody imports mailbag,
outbox (the email queue) imports none of our apps, and no module of ours imports itself back
through a circle of imports."""

import ast
from pathlib import Path

from django.conf import settings

APPS = ["advice", "comments", "guard", "outbox", "mailbag", "pagecache"]


def modules():
    """{module name: the names it imports (anywhere in it)} for our apps, tests and
    migrations left out."""
    found = {}
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            relative = path.relative_to(settings.BASE_DIR)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
            imported = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    imported |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    imported.add(node.module)
                    imported |= {f"{node.module}.{alias.name}" for alias in node.names}
            found[name] = imported
    return found


def test_comments_and_guard_never_import_the_column():
    for name, imported in modules().items():
        if name.split(".")[0] in ("comments", "guard"):
            assert not [i for i in imported if i.split(".")[0] == "advice"], name
        if name.split(".")[0] == "guard":
            assert not [i for i in imported if i.split(".")[0] == "comments"], name


# What reader letters may use of comments: the writer's private reply link and the erasure
# signal it answers.
MAILBAG_MAY_IMPORT_FROM_COMMENTS = {"comments.passes", "comments.signals"}


def test_nobody_imports_reader_letters():
    for name, imported in modules().items():
        if name.split(".")[0] != "mailbag":
            assert not [i for i in imported if i.split(".")[0] == "mailbag"], name


def test_reader_letters_import_only_the_column_guard_and_passes():
    for name, imported in modules().items():
        if name.split(".")[0] != "mailbag":
            continue
        ours = {i for i in imported if i.split(".")[0] in ("advice", "comments", "guard", "outbox")}
        # `from comments import passes` names the package too; what it takes is checked.
        from_comments = {i for i in ours if i.split(".")[0] == "comments" and i != "comments"}
        allowed = {
            i
            for i in from_comments
            if i in MAILBAG_MAY_IMPORT_FROM_COMMENTS
            or i.rsplit(".", 1)[0] in MAILBAG_MAY_IMPORT_FROM_COMMENTS
        }
        assert from_comments <= allowed, (name, from_comments - allowed)


def test_the_page_cache_imports_none_of_our_apps():
    """The apps tell the page cache of their changes (advice.signals); it knows none of them."""
    for name, imported in modules().items():
        if name.split(".")[0] == "pagecache":
            ours = [i for i in imported if i.split(".")[0] in ("advice", "comments", "guard")]
            assert not ours, name


def test_the_email_queue_imports_none_of_our_apps():
    """Any app (and Wagtail, through EMAIL_BACKEND) may send mail through outbox."""
    for name, imported in modules().items():
        if name.split(".")[0] == "outbox":
            ours = [
                i for i in imported if i.split(".")[0] in ("advice", "comments", "guard", "mailbag")
            ]
            assert not ours, name


def test_no_import_cycle_among_our_modules():
    graph = modules()
    edges = {
        name: {i for i in imported if i in graph and i != name} for name, imported in graph.items()
    }
    # A package imports its own modules in __init__: that is not a circle back to it.
    for name in edges:
        edges[name] = {target for target in edges[name] if not name.startswith(target + ".")}
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                raise AssertionError(" -> ".join(path[path.index(target) :] + [target]))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
