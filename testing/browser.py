"""Screenshots from the browser tests, written only when SCREENSHOTS_DIR names a folder
(`make screenshots` sets it to docs/screenshots/): `make test` never rewrites tracked files."""

import os
from pathlib import Path


def screenshots_dir():
    folder = os.environ.get("SCREENSHOTS_DIR", "").strip()
    return Path(folder) if folder else None


def save_screenshot(page, name, **options):
    """page.screenshot() into SCREENSHOTS_DIR, or nothing when it is not set."""
    folder = screenshots_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return page.screenshot(path=folder / name, **options)
