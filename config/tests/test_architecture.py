"""The house: our apps stand on levels, and every dependency runs down, never up or sideways.

    demo                        the demo loader: knows every app
    mailbag, importer,
    newsletter                  plug into the column through advice.plugins
    advice                      the column
    comments                    replies and the moderators' desk
    guard, outbox, pagecache    the forms' defences, the email queue, the page cache
    base                        the site's plumbing (health, robots.txt, media, lockout, headers)

`config` (settings and URLs) wires everything and stands outside the house.

A dependency is any of: an import; a model string in Python ("mailbag.WriteInPage"); an
`apps.get_model("mailbag", ...)` or `get_model("mailbag.WriteInPage")` call; a template path in
Python ("mailbag/write_in_link.html"); and in a template, `{% extends %}`, `{% include %}` and
`{% load %}` (a tag library belongs to the app whose templatetags/ holds it). Tests are left
out (they may exercise the apps together); migrations are read.

Templates: templates/<app>/... and <app>/templates/... are the app's. The rest of templates/
(base.html, plain.html, the error pages, includes/, blocks/ and other packages' overrides) is
the site shell, the frame every page is drawn in: extending or including it is no edge, and the
shell itself may use the column and what is below it, never the apps above the column (they
plug in through advice's registries).

An app listed here whose folder does not exist is skipped.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

LEVELS = [
    ["base"],
    ["guard", "outbox", "pagecache"],
    ["comments"],
    ["advice"],
    ["mailbag", "importer", "newsletter"],
    ["demo"],
]
LEVEL = {app: height for height, apps in enumerate(LEVELS) for app in apps}
SHELL = "site shell"
LEVEL[SHELL] = LEVEL["advice"] + 0.5  # above the column, below what plugs into it

ROOT = Path(settings.BASE_DIR)
APPS = [app for app in LEVEL if app != SHELL and (ROOT / app).is_dir()]

MODEL_STRING = re.compile(rf"({'|'.join(APPS)})\.[A-Z]\w*")
TEMPLATE_PATH = re.compile(r"([a-z_]+)/[\w./-]+\.(?:html|txt|xml)")
TEMPLATE_TAG = re.compile(r"{%-?\s*(extends|include|load)\s+(.*?)\s*-?%}", re.DOTALL)


def python_files(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" not in path.relative_to(ROOT).parts:
            yield path


def template_files():
    """(owning app or the shell, path) of every template of ours."""
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file():
            top = path.relative_to(ROOT / "templates").parts[0]
            yield (top if top in APPS else SHELL), path
    for app in APPS:
        for path in sorted((ROOT / app / "templates").rglob("*")):
            if path.is_file():
                yield app, path


def template_owner(name):
    """The app a template name ("mailbag/write_in_link.html") belongs to, the shell for the
    rest of templates/, or None for another package's template."""
    top = name.split("/")[0]
    if top in APPS:
        return top
    if (ROOT / "templates" / name).is_file():
        return SHELL
    return None


def tag_libraries():
    """{library name: the app whose templatetags/ holds it}."""
    return {
        path.stem: app
        for app in APPS
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def python_dependencies(source):
    """(app named, what names it) for every dependency of one Python module's source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0], f"from {node.module} import"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if MODEL_STRING.fullmatch(node.value):
                yield node.value.split(".")[0], f"model string {node.value!r}"
            elif TEMPLATE_PATH.fullmatch(node.value):
                yield template_owner(node.value), f"template {node.value!r}"
        elif isinstance(node, ast.Call) and node.args:
            called = getattr(node.func, "attr", getattr(node.func, "id", None))
            first = node.args[0]
            if called == "get_model" and isinstance(first, ast.Constant):
                yield str(first.value).split(".")[0], f"get_model({first.value!r}, ...)"


def template_dependencies(text, libraries):
    """(app named, what names it) for every extends, include and load of one template."""
    for kind, argument in TEMPLATE_TAG.findall(text):
        if kind == "load":
            words = argument.split()
            names = words[words.index("from") + 1 :] if "from" in words else words
            for name in names:
                yield libraries.get(name), f"{{% load {name} %}}"
        elif argument[:1] in "\"'":
            name = argument[1:].split(argument[0])[0]
            yield template_owner(name), f'{{% {kind} "{name}" %}}'


def edges():
    """[(from app, to app, "file:what")] across our apps (an app naming itself is left out;
    naming the shell is no edge)."""
    found = []
    for app in APPS:
        for path in python_files(app):
            for target, what in python_dependencies(path.read_text()):
                found.append((app, target, f"{path.relative_to(ROOT)}: {what}"))
    libraries = tag_libraries()
    for owner, path in template_files():
        for target, what in template_dependencies(path.read_text(), libraries):
            found.append((owner, target, f"{path.relative_to(ROOT)}: {what}"))
    return [
        (source, target, where)
        for source, target, where in found
        if target in LEVEL and target not in (source, SHELL)
    ]


def test_every_dependency_runs_down_the_house():
    upward = [
        f"{source} -> {target}  ({where})"
        for source, target, where in edges()
        if LEVEL[target] >= LEVEL[source]
    ]
    assert not upward, "dependencies running up or sideways:\n" + "\n".join(upward)


def test_every_app_of_ours_has_a_place_in_the_house():
    ours = {entry.split(".")[0] for entry in settings.INSTALLED_APPS}
    ours = {app for app in ours if (ROOT / app / "apps.py").is_file()}
    assert ours <= set(LEVEL), ours - set(LEVEL)


def test_the_reader_sees_every_kind_of_dependency():
    """What the house test reads: imports, model strings, get_model calls and template paths
    in Python; extends, include and load in templates."""
    python = (
        "from mailbag.models import WriteInPage\n"
        'TYPES = ["mailbag.WriteInPage", "wagtailcore.Page", "mailbag.see_writer_email"]\n'
        'FRAGMENT = "mailbag/write_in_link.html"\n'
        'apps.get_model("importer", "ImportRun")\n'
        'get_model("demo.thing")\n'
        '"""A docstring naming mailbag.WriteInPage in passing."""\n'
    )
    assert set(python_dependencies(python)) == {
        ("demo", "get_model('demo.thing', ...)"),
        ("importer", "get_model('importer', ...)"),
        ("mailbag", "from mailbag.models import"),
        ("mailbag", "model string 'mailbag.WriteInPage'"),
        ("mailbag", "template 'mailbag/write_in_link.html'"),
    }
    template = (
        '{% extends "base.html" %}{% load wagtailcore_tags comment_tags %}'
        '{% include "mailbag/write_in_link.html" with column=page %}{% load x from advice_tags %}'
    )
    assert set(template_dependencies(template, tag_libraries())) == {
        (None, "{% load wagtailcore_tags %}"),
        ("advice", "{% load advice_tags %}"),
        ("comments", "{% load comment_tags %}"),
        ("mailbag", '{% include "mailbag/write_in_link.html" %}'),
        (SHELL, '{% extends "base.html" %}'),
    }


# What reader letters may use of comments: the writer's private reply link and the erasure
# signal it answers.
MAILBAG_MAY_IMPORT_FROM_COMMENTS = {"comments.passes", "comments.signals"}


def modules():
    """{module name: the names it imports (anywhere in it)} for our apps, tests and
    migrations left out."""
    found = {}
    for app in APPS:
        for path in python_files(app):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
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


def test_reader_letters_import_only_the_passes_and_signals_of_comments():
    for name, imported in modules().items():
        if name.split(".")[0] != "mailbag":
            continue
        # `from comments import passes` names the package too; what it takes is checked.
        from_comments = {i for i in imported if i.split(".")[0] == "comments" and i != "comments"}
        allowed = {
            i
            for i in from_comments
            if i in MAILBAG_MAY_IMPORT_FROM_COMMENTS
            or i.rsplit(".", 1)[0] in MAILBAG_MAY_IMPORT_FROM_COMMENTS
        }
        assert from_comments <= allowed, (name, from_comments - allowed)


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


def test_config_wires_and_holds_no_logic():
    """config/ holds settings, URLs and the server entry points; a function or class there is
    logic that belongs in an app (base, for what the whole site shares). The settings' few
    helpers that read the environment are the exception."""
    root = Path(settings.BASE_DIR) / "config"
    defined = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in ("settings", "tests"):
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.append(f"config/{relative}: {node.name}")
    assert defined == []
