"""The copy readers and editors see uses typographic apostrophes and quotes (’ “ ”), never the
typewriter ones (' "): in templates' text and visible attributes, and in the words our Python
gives the admin and the forms (labels, help texts, choices, messages, defaults)."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("advice", "comments", "guard", "mailbag", "outbox", "pagecache", "demo")
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "value", "content"}
# Prose with a typewriter apostrophe (it's, readers') or quote pair ('x', "x").
STRAIGHT = re.compile(r"\w'|'\w|\"\w|\w\"")
# Strings that are not copy: what a log, the command line or a developer reads.
NOT_COPY_CALLS = {"debug", "info", "warning", "error", "exception", "add_argument", "print"}
NOT_COPY_CALLS |= {"ImproperlyConfigured", "CommandError", "write"}


def template_text(source):
    """The template with Django's tags and comments each replaced by a placeholder word, so
    the HTML around them still parses and text joined to a variable stays text."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    return re.sub(r"{[{%].*?[}%]}", "x", source, flags=re.S)


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.in_code = [], 0

    def handle_starttag(self, tag, attrs):
        self.in_code += tag in ("script", "style")
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and STRAIGHT.search(value):
                self.found.append(f"{name}={value}")

    def handle_endtag(self, tag):
        self.in_code -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.in_code and STRAIGHT.search(data):
            self.found.append(data.strip())


def test_the_scanners_see_what_they_should():
    parser = VisibleText()
    parser.feed(template_text(
        '<p title="it\'s">{{ name }}\'s bag</p><a href="{% url \'x\' %}" class="a">ok</a>'
        "<script>var a = 'b';</script>{# it's #}"
    ))  # fmt: skip
    assert parser.found == ["title=it's", "x's bag"]
    assert copy_strings("x = 'code'\nlabel = \"It's here\"\nlogger.info(\"A reply's\")") == [
        "It's here"
    ]
    assert copy_strings("f(x, template=\"to_char(%(x)s, 'YYYY-MM')\")") == []


def test_templates_use_typographic_apostrophes_and_quotes():
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix == ".txt":  # emails: every line is copy
            text = template_text(path.read_text())
            found += [f"{path}: {line}" for line in text.splitlines() if STRAIGHT.search(line)]
        elif path.suffix == ".html":
            parser = VisibleText()
            parser.feed(template_text(path.read_text()))
            found += [f"{path}: {text}" for text in parser.found]
    assert found == []


SQL_KEYWORDS = {"template", "sql"}


def copy_strings(source):
    """The string literals in `source` that a person reads: not docstrings, not log lines or
    command-line help, and only those that look like prose (they hold a space)."""
    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in NOT_COPY_CALLS:
                skip |= {id(n) for arg in node.args for n in ast.walk(arg)}
            for keyword in node.keywords:  # SQL, as a database function's template= gives it
                if keyword.arg in SQL_KEYWORDS:
                    skip |= {id(n) for n in ast.walk(keyword.value)}
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") == "help" for t in node.targets
        ):
            skip |= {id(n) for n in ast.walk(node.value)}  # a command's --help
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and " " in node.value
        and STRAIGHT.search(node.value.replace('"', "").replace("\\'", ""))
    ]


def test_our_python_copy_uses_typographic_apostrophes():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            found += [f"{path}: {text}" for text in copy_strings(path.read_text())]
    assert found == []


def test_the_demo_content_uses_typographic_apostrophes():
    text = (ROOT / "demo" / "fixtures" / "demo_content.json").read_text()
    assert re.findall(r".{20}\w'\w?.{20}|.{20}'\w.{20}", text) == []
