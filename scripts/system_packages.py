"""The Debian packages a make target needs besides Python: check them, install
them, or say in one line how to.

    python3.11 scripts/system_packages.py test [test-postgres] [compose] [base-images]
    python3.11 scripts/system_packages.py --check test      # report only, never install

Each need is checked by what the target really uses (a program on the PATH, a
file), not by asking dpkg, so a Chromium or PostgreSQL installed some other way
counts too. Missing ones are installed with one `apt-get update` and one
`apt-get install` when this runs as root on Debian; otherwise it stops at once
with one line naming the exact command to run. Standard library only: it runs
before the virtualenv exists.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    package: str
    why: str
    present: Callable[[], bool]


def program(name: str) -> Callable[[], bool]:
    return lambda: shutil.which(name) is not None


def path(*patterns: str) -> Callable[[], bool]:
    return lambda: any(glob.glob(pattern) for pattern in patterns)


def any_of(*checks: Callable[[], bool]) -> Callable[[], bool]:
    return lambda: any(check() for check in checks)


def docker_compose_plugin() -> bool:
    """`docker compose` (v2) answers; the stand-alone docker-compose (v1) is the other way."""
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return result.returncode == 0


# What each make target needs. The browser tests launch /usr/bin/chromium
# (tests/browser.py), screenshots need CJK glyphs, bench/load.py drives the
# server with wrk, .ci/with-postgres runs initdb, and the container test needs
# a Docker engine, a compose client and a bootstrapper for stand-in base images.
NEEDS: dict[str, tuple[Need, ...]] = {
    "test": (
        Need("chromium", "browser tests", path("/usr/bin/chromium")),
        Need(
            "fonts-noto-cjk",
            "Chinese glyphs in screenshots",
            path("/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc"),
        ),
        Need("wrk", "bench/load.py", program("wrk")),
    ),
    "test-postgres": (
        Need(
            "postgresql",
            "a throwaway PostgreSQL cluster",
            any_of(path("/usr/lib/postgresql/*/bin/initdb"), program("initdb")),
        ),
    ),
    "compose": (
        Need("docker.io", "the Docker engine", program("dockerd")),
        Need("docker-compose", "a compose client", any_of(program("docker-compose"), docker_compose_plugin)),
    ),
    "base-images": (Need("mmdebstrap", "stand-in base images from Debian packages", program("mmdebstrap")),),
}


def missing(groups: Iterable[str], needs: dict[str, tuple[Need, ...]] = NEEDS) -> list[Need]:
    seen: dict[str, Need] = {}
    for group in groups:
        for need in needs[group]:
            if need.package not in seen and not need.present():
                seen[need.package] = need
    return list(seen.values())


def on_debian() -> bool:
    return os.path.exists("/etc/debian_version") and shutil.which("apt-get") is not None


def install_command(packages: Sequence[str], *, root: bool) -> str:
    sudo = "" if root else "sudo "
    names = " ".join(packages)
    return f"{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends {names}"


def run_apt(arguments: list[str]) -> tuple[int, str]:
    """apt-get's exit status and, when it failed, its last line of complaint."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run(["apt-get", *arguments], env=env, capture_output=True, text=True, check=False)
    complaint = [line for line in result.stderr.splitlines() if line.strip()]
    return result.returncode, (complaint[-1].strip() if result.returncode and complaint else "")


def ensure(
    groups: Sequence[str],
    *,
    needs: dict[str, tuple[Need, ...]] = NEEDS,
    install: bool = True,
    is_root: bool | None = None,
    debian: bool | None = None,
    apt: Callable[[list[str]], tuple[int, str]] = run_apt,
    say: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> int:
    """0 when every need of `groups` is present (installing them if allowed and able), else 1."""
    absent = missing(groups, needs)
    if not absent:
        return 0
    names = [need.package for need in absent]
    what = ", ".join(f"{need.package} ({need.why})" for need in absent)
    is_root = os.geteuid() == 0 if is_root is None else is_root
    debian = on_debian() if debian is None else debian
    if not (install and is_root and debian):
        say(f"missing {what}; install with: {install_command(names, root=is_root)}")
        return 1
    say(f"installing Debian packages: {what}")
    for arguments in (["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", *names]):
        status, complaint = apt(arguments)
        if status != 0:
            because = f": {complaint}" if complaint else ""
            retry = install_command(names, root=True)
            say(f"apt-get {arguments[0]} failed (exit {status}){because}; to retry: {retry}")
            return 1
    still = missing(groups, needs)
    if still:
        say(f"still missing after apt-get install: {', '.join(need.package for need in still)}")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="+", choices=sorted(NEEDS), metavar="GROUP", help=", ".join(sorted(NEEDS)))
    parser.add_argument("--check", action="store_true", help="report what is missing, install nothing")
    args = parser.parse_args(argv)
    return ensure(args.groups, install=not args.check)


if __name__ == "__main__":
    sys.exit(main())
