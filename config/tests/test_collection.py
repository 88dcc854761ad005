"""Every test module is collected by a bare `pytest`, which is what `make test` and CI run.

pytest only looks in `testpaths`; a module outside them passes when run by name and never runs
in CI (the newsletter's did, until this test).
"""

import tomllib
from pathlib import Path

from django.conf import settings


def test_every_test_module_is_under_a_collected_path():
    root = Path(settings.BASE_DIR)
    options = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    collected = [root / path for path in options["testpaths"]]
    modules = [
        path
        for path in root.rglob(options["python_files"][0])
        if not {".venv", "node_modules", ".git"} & set(path.relative_to(root).parts)
    ]
    assert len(modules) > 100, "the search for test modules found too few"
    missed = sorted(
        str(module.relative_to(root))
        for module in modules
        if not any(top in module.parents for top in collected)
    )
    assert missed == []
