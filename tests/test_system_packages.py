"""scripts/system_packages.py: what `make test` and the other targets do about
the Debian packages they need: nothing when present, one apt-get update and
one install as root on Debian, otherwise one line naming the command to run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT_DIR / "scripts" / "system_packages.py"

spec = importlib.util.spec_from_file_location("system_packages", SCRIPT)
system_packages = importlib.util.module_from_spec(spec)
# A script, not a package: registered by hand so its dataclasses resolve their module.
sys.modules.setdefault("system_packages", system_packages)
spec.loader.exec_module(system_packages)
Need = system_packages.Need


class FakeMachine:
    """Packages present or not, and an apt-get that installs into that set."""

    def __init__(self, present=(), apt_fails=None, apt_installs=True):
        self.present = set(present)
        self.apt_calls = []
        self.apt_fails = apt_fails
        self.apt_installs = apt_installs
        self.lines = []

    def needs(self, groups):
        return {
            group: tuple(Need(name, f"for {name}", lambda name=name: name in self.present) for name in names)
            for group, names in groups.items()
        }

    def apt(self, arguments):
        self.apt_calls.append(arguments)
        if arguments[0] == self.apt_fails:
            return 100, "E: Unable to locate package chromium"
        if arguments[0] == "install" and self.apt_installs:
            self.present.update(a for a in arguments[1:] if not a.startswith("-"))
        return 0, ""

    def ensure(self, groups, needs, **kwargs):
        return system_packages.ensure(groups, needs=needs, apt=self.apt, say=self.lines.append, **kwargs)


GROUPS = {"test": ("chromium", "wrk"), "test-postgres": ("postgresql", "wrk")}


def test_nothing_is_installed_when_everything_is_present():
    machine = FakeMachine(present={"chromium", "wrk", "postgresql"})
    assert machine.ensure(["test", "test-postgres"], machine.needs(GROUPS), is_root=True, debian=True) == 0
    assert machine.apt_calls == [] and machine.lines == []


def test_root_on_debian_updates_once_and_installs_every_missing_package_in_one_go():
    machine = FakeMachine(present={"wrk"})
    assert machine.ensure(["test", "test-postgres"], machine.needs(GROUPS), is_root=True, debian=True) == 0
    assert machine.apt_calls == [
        ["update", "-qq"],
        ["install", "-y", "-qq", "--no-install-recommends", "chromium", "postgresql"],
    ]
    assert machine.present == {"chromium", "wrk", "postgresql"}
    assert len(machine.lines) == 1 and "chromium" in machine.lines[0]


@pytest.mark.parametrize(
    ("is_root", "debian", "install", "command"),
    [
        (False, True, True, "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium wrk"),
        (True, False, True, "apt-get update && apt-get install -y --no-install-recommends chromium wrk"),
        (True, True, False, "apt-get update && apt-get install -y --no-install-recommends chromium wrk"),
    ],
)
def test_otherwise_one_line_gives_the_exact_command_and_nothing_runs(is_root, debian, install, command):
    machine = FakeMachine()
    assert machine.ensure(["test"], machine.needs(GROUPS), is_root=is_root, debian=debian, install=install) == 1
    assert machine.apt_calls == []
    assert len(machine.lines) == 1
    assert machine.lines[0].endswith(f"install with: {command}")
    assert "chromium (for chromium)" in machine.lines[0]


@pytest.mark.parametrize("failing", ["update", "install"])
def test_a_failing_apt_get_stops_with_one_line(failing):
    machine = FakeMachine(apt_fails=failing)
    assert machine.ensure(["test"], machine.needs(GROUPS), is_root=True, debian=True) == 1
    assert machine.lines[-1].startswith(f"apt-get {failing} failed (exit 100): E: Unable to locate package chromium;")
    assert len(machine.apt_calls) == (1 if failing == "update" else 2)


def test_a_package_that_installs_without_providing_the_need_is_reported():
    machine = FakeMachine(apt_installs=False)
    assert machine.ensure(["test"], machine.needs(GROUPS), is_root=True, debian=True) == 1
    assert machine.lines[-1] == "still missing after apt-get install: chromium, wrk"


def test_the_real_checks_look_where_the_targets_look(tmp_path, monkeypatch):
    """The real probes: a program on the PATH, a file by pattern."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not system_packages.program("wrk")()
    wrk = tmp_path / "wrk"
    wrk.write_text("#!/bin/sh\n")
    wrk.chmod(0o755)
    assert system_packages.program("wrk")()
    assert not system_packages.path(str(tmp_path / "lib" / "*" / "bin" / "initdb"))()
    (tmp_path / "lib" / "15" / "bin").mkdir(parents=True)
    (tmp_path / "lib" / "15" / "bin" / "initdb").touch()
    assert system_packages.path(str(tmp_path / "lib" / "*" / "bin" / "initdb"))()
    # Every group the Makefile names exists.
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert "scripts/system_packages.py" in makefile
    assert {"test", "test-postgres"} <= set(system_packages.NEEDS)


def test_the_command_line_reports_without_installing_and_refuses_an_unknown_group():
    check = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "test"], capture_output=True, text=True, check=False
    )
    # Whatever this machine has, --check never installs: silent and 0, or one line and 1.
    assert (check.returncode, check.stderr) == (0, "") or (
        check.returncode == 1 and check.stderr.count("\n") == 1 and "install with:" in check.stderr
    )
    unknown = subprocess.run([sys.executable, str(SCRIPT), "nonsense"], capture_output=True, text=True, check=False)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
