"""Generation directories: a rebuild writes a whole index beside the live
one, then a symlink swap makes it live.

Invariants:

* The configured index path is a symlink to ``<path>.<stamp>-<pid>`` once
  the first rebuild or clear has swapped; readers open the directory the
  link points at, so a swap is noticed on their next query.
* The swap is one ``os.replace`` of a symlink: never a moment without an
  index (except the very first swap of a plain directory).
* The live generation and ``KEEP_OLD_GENERATIONS`` older ones are kept, for
  searchers still reading them.
* A generation being built holds an exclusive lock on its ``BUILDING`` file
  (the rebuild and its forked workers share it) until just before its swap;
  such a directory is never an old generation, and one whose lock nobody
  holds is what a killed rebuild left: ``remove_abandoned`` deletes it.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import shutil
from pathlib import Path

KEEP_OLD_GENERATIONS = 1
BUILDING = "BUILDING"


def new_generation_dir(link_path) -> str:
    link = Path(link_path)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    directory = link.parent / f"{link.name}.{stamp}-{os.getpid()}"
    directory.mkdir(parents=True)
    return str(directory)


def claim_build(directory: str):
    """Mark ``directory`` as being built by this process (and its workers)."""
    handle = open(Path(directory) / BUILDING, "w")  # noqa: SIM115  (held until the build ends)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def release_build(directory: str, handle) -> None:
    with contextlib.suppress(FileNotFoundError):
        (Path(directory) / BUILDING).unlink()
    handle.close()


def _generations(link: Path) -> list[Path]:
    return sorted(p for p in link.parent.glob(f"{link.name}.*-*") if p.is_dir() and not (p / BUILDING).exists())


def remove_abandoned(link_path) -> list[str]:
    """Delete the directories of builds whose lock nobody holds (killed)."""
    link = Path(link_path)
    removed = []
    for marker in link.parent.glob(f"{link.name}.*-*/{BUILDING}"):
        try:
            handle = open(marker)  # noqa: SIM115  (closed below, after the removal)
        except FileNotFoundError:
            continue  # the build finished meanwhile
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            if link.exists() and link.resolve() == marker.parent.resolve():
                continue
            shutil.rmtree(marker.parent)
            removed.append(str(marker.parent))
        finally:
            handle.close()
    return removed


def swap_in(directory: str, link_path) -> None:
    """Point ``link_path`` at ``directory`` atomically; drop old generations.

    The first swap turns a plain index directory into a symlink; that one
    rename leaves the path missing for an instant, later swaps never do.
    """
    link = Path(link_path)
    temporary = link.parent / f".{link.name}.swap-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(Path(directory).resolve())
    if link.exists() and not link.is_symlink():
        retired = link.parent / f"{link.name}.{datetime.datetime.now():%Y%m%d-%H%M%S-%f}-plain"
        link.rename(retired)
    os.replace(temporary, link)
    live = link.resolve()
    old = [p for p in _generations(link) if p.resolve() != live]
    for stale in old[: max(0, len(old) - KEEP_OLD_GENERATIONS)]:
        shutil.rmtree(stale, ignore_errors=False)
