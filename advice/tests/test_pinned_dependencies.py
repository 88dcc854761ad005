"""Every dependency pinned, transitive ones included: requirements.lock (the site) and
requirements-dev.lock (the site and its tests) name every package installed for them at the
version installed, and the Makefile installs from them. An unpinned Pillow once changed the
site's image checks under it (its WebP and AVIF readers allocate on opening). Independent of
ops/lock.py, which writes the locks: this reads the installed packages' own metadata."""

import re
from importlib import metadata
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)$")


def pins(lock):
    """{canonical name: version} of a lock file, every line a comment or name==version."""
    found = {}
    for line in (ROOT / lock).read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{lock}: not an exact pin: {line!r}"
        found[canonicalize_name(match[1])] = match[2]
    return found


def named(requirements_file):
    """The requirements a human list names (following -r)."""
    found = []
    for line in (ROOT / requirements_file).read_text().splitlines():
        line = line.strip()
        if line.startswith("-r"):
            found += named(line[2:].strip())
        elif line and not line.startswith("#"):
            found.append(Requirement(line))
    return found


def applies(requirement, extras=()):
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in set(extras) or {""})


LOCKS = [
    ("requirements.lock", "requirements.txt"),
    ("requirements-dev.lock", "requirements-dev.txt"),
]


@pytest.mark.parametrize("lock, source", LOCKS)
def test_the_lock_holds_everything_its_list_needs_at_the_installed_versions(lock, source):
    pinned = pins(lock)
    wanted = [(r, "") for r in named(source) if applies(r)]
    seen = set()
    while wanted:
        requirement, needed_by = wanted.pop()
        key = canonicalize_name(requirement.name)
        assert key in pinned, f"{requirement.name} (needed by {needed_by or source}) not in {lock}"
        assert metadata.version(requirement.name) == pinned[key], requirement.name
        if requirement.specifier:
            assert requirement.specifier.contains(pinned[key], prereleases=True), requirement
        if (key, frozenset(requirement.extras)) in seen:
            continue
        seen.add((key, frozenset(requirement.extras)))
        for line in metadata.requires(requirement.name) or []:
            needed = Requirement(line)
            if applies(needed, requirement.extras):
                wanted.append((needed, requirement.name))
    assert {key for key, _ in seen} == set(pinned), f"{lock} pins what nothing needs"


def test_pillow_and_the_image_readers_are_pinned():
    pinned = pins("requirements.lock")
    for name in ("pillow", "willow", "pillow-heif", "filetype"):
        assert pinned[name] == metadata.version(name)


def test_the_dev_lock_pins_the_site_as_the_site_lock_does():
    site, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in site} == site


def test_make_installs_from_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"\$\(PIP\) install .*-r (\S+)", makefile)
    assert "requirements.lock" in installs and "requirements-dev.lock" in installs
    assert set(installs) <= {"requirements.lock", "requirements-dev.lock", "requirements-dev.txt"}
    assert re.search(
        r"^lock:.*\n\t\$\(PIP\) install .*-r requirements-dev.txt\n\t.*ops/lock.py", makefile, re.M
    )
