"""Pin every dependency, transitive ones included (`make lock`).

requirements.txt and requirements-dev.txt are the lists people edit: what the site and its
tests use, with why. This writes requirements.lock and requirements-dev.lock from them: each
package they name and everything those need in turn (extras and environment markers followed),
at the version installed in the virtual environment the tests ran in. `make install` and `make
install-dev` install from the locks, so a machine set up later gets the same Pillow, the same
Willow, the same everything (an unpinned Pillow once moved under the site's image checks).

Usage: .venv/bin/python ops/lock.py   (after pip install -r requirements-dev.txt)
"""

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"requirements.lock": "requirements.txt", "requirements-dev.lock": "requirements-dev.txt"}
HEADER = """\
# Every package `{install}` installs, transitive ones included, at the versions the tests ran
# on (CPython 3.11 on Linux). Written by `make lock` (ops/lock.py) from {source} and the
# virtual environment: edit {source}, install it, then run `make lock`; never edit this file.
"""


def requirements(path):
    """The requirements a requirements file names, following its `-r` includes."""
    found = []
    for line in path.read_text().splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r"):
            found += requirements(path.parent / line[2:].strip())
        else:
            found.append(Requirement(line))
    return found


def wanted(requirement, extras):
    """Whether a requirement applies here, for a package installed with `extras`."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras or {""})


def closure(roots):
    """{canonical name: (name, version, {needed by})} for `roots` and all they need."""
    pinned, done = {}, set()
    queue = [(requirement, "") for requirement in roots if wanted(requirement, set())]
    while queue:
        requirement, parent = queue.pop()
        key = canonicalize_name(requirement.name)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{requirement.name} is not installed: pip install -r requirements-dev.txt")
        name, version, needed_by = pinned.setdefault(
            key, (distribution.metadata["Name"], distribution.version, set())
        )
        if parent:
            needed_by.add(parent)
        extras = frozenset(requirement.extras)
        if (key, extras) in done:
            continue
        done.add((key, extras))
        for line in distribution.requires or []:
            needed = Requirement(line)
            if wanted(needed, extras):
                queue.append((needed, name))
    return pinned


def lock_text(source, install):
    lines = [HEADER.format(source=source, install=install)]
    pinned = closure(requirements(ROOT / source))
    for _, (name, version, needed_by) in sorted(pinned.items()):
        lines.append(f"{name}=={version}")
        if needed_by:
            lines.append(f"    # via {', '.join(sorted(needed_by, key=str.lower))}")
    return "\n".join(lines) + "\n"


def main():
    for lock, source in LOCKS.items():
        install = "make install-dev" if "dev" in lock else "make install"
        (ROOT / lock).write_text(lock_text(source, install))
        sys.stdout.write(f"wrote {lock}\n")


if __name__ == "__main__":
    main()
