"""base sits at the bottom of the house: none of its modules imports an app of ours, so any
app may use it. (Its tests may: they exercise it through the whole site.)"""

import ast
from pathlib import Path

from django.conf import settings

# Every top-level package of ours but base itself and config, which wires everything.
OURS = {
    "advice",
    "bench",
    "comments",
    "demo",
    "e2e",
    "guard",
    "importer",
    "mailbag",
    "ops",
    "outbox",
    "pagecache",
    "testing",
}


def imported_names(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_base_imports_none_of_our_apps():
    root = Path(settings.BASE_DIR) / "base"
    modules = [path for path in root.rglob("*.py") if "tests" not in path.relative_to(root).parts]
    assert len(modules) > 5  # the walk found base's modules
    for path in modules:
        upward = {name for name in imported_names(path) if name.split(".")[0] in OURS}
        assert not upward, (str(path.relative_to(settings.BASE_DIR)), upward)
