"""Bad issue files fed to `manage.py ingest`, one at a time: the line each gets.

Each file is made in a temporary folder and ingested into a temporary SQLite
archive by a real `manage.py ingest` process (with a time limit, so a run
that hangs shows as such). Prints one row per file: what it is, the exit
status, the seconds taken, the process's peak memory, and the error lines it
printed; the rows are what docs/reliability.md lists.

    .venv/bin/python bench/bad_files.py
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = sorted((PROJECT / "samples").glob("*.txt"))[0]


def make_files(root: Path) -> list[tuple[str, list[str]]]:
    """[(description, ingest arguments)]"""
    cases = []

    def file(name, data: bytes):
        path = root / name
        path.write_bytes(data)
        return str(path)

    cases.append(("empty file", [file("empty.txt", b"")]))
    cases.append(("binary bytes", [file("binary.txt", bytes(range(256)) * 64)]))
    cases.append(("invalid UTF-8", [file("broken.txt", "正文".encode() + b"\xc3\x28\xff\xfe" * 50)]))
    cases.append(("labels, no article", [file("labels.txt", "第2版\n\n要闻\n\n第3版\n".encode())]))
    one_line = root / "one-line.txt"
    with open(one_line, "wb") as handle:
        handle.write(("养" * 1_000_000).encode())  # 3 MB, one line
    cases.append(("one line of 1,000,000 characters (3 MB)", [str(one_line)]))
    huge = root / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    cases.append(("50 MB file", [str(huge)]))
    paragraph = ("这是测试用的很长的一行文字没有句号" * 1200)[:20000]
    cases.append(
        (
            "4 MB of 20,000-character lines the parser joins into one paragraph",
            [file("2024-01-08.txt", ("第1版\n\n标题一\n\n" + "\n".join([paragraph] * 65) + "\n").encode())],
        )
    )
    article = "\n\n".join(f"第{n}段。" + "内容充实的一句话。" * 1200 for n in range(14))
    cases.append(
        ("one article of 150,000 characters", [file("2024-01-09.txt", f"第1版\n\n标题一\n\n{article}\n".encode())])
    )
    fifo = root / "pipe.txt"
    os.mkfifo(fifo)
    cases.append(("a FIFO named on the command line", [str(fifo)]))
    tree = root / "tree"
    tree.mkdir()
    shutil.copy(SAMPLE, tree / SAMPLE.name)
    os.symlink(tree / "gone.txt", tree / "dangling.txt")
    os.symlink("self.txt", tree / "self.txt")
    os.symlink(tree, tree / "loop")
    os.mkfifo(tree / "fifo.txt")
    locked = tree / "locked"
    locked.mkdir()
    os.chmod(locked, 0)
    cases.append(
        (
            "a folder with an issue, a dangling link, a self-link, a link to itself, a FIFO "
            "and an unreadable subfolder (unreadable only when not run as root)",
            [str(tree)],
        )
    )
    return cases


def main():
    work = Path(tempfile.mkdtemp(prefix="bad-files-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'archive.sqlite3'}",
        "SEARCH_INDEX_PATH": str(work / "index"),
        "CACHE_LOCATION": str(work / "cache"),
        "CACHE_GENERATION_FILE": str(work / "generation"),
        "ALLOW_INSECURE_DEV_KEY": "1",
        "SECURE_HTTPS": "0",
        "DEBUG": "0",
    }
    manage = [sys.executable, str(PROJECT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    files = work / "files"
    files.mkdir()
    try:
        for description, arguments in make_files(files):
            started = time.monotonic()
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            try:
                result = subprocess.run(
                    [*manage, "ingest", "--no-progress", *arguments],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                status, err = result.returncode, result.stderr
            except subprocess.TimeoutExpired:
                status, err = "timeout", ""
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            print(f"## {description}")
            print(
                f"exit {status}, {time.monotonic() - started:.1f} s"
                + (f", peak {peak // 1024} MB" if peak > before else "")
            )
            for line in err.splitlines():
                if line.strip():
                    print("    " + line.replace(str(files) + "/", ""))
            print()
    finally:
        for path in files.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o755)
        shutil.rmtree(work)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
