"""Backups of the archive's database, taken while the site runs, and restores.

Everything the archive holds is in its database: issues with their full
source text, articles, editors' corrections and their history. The search
index is rebuilt from it (``manage.py rebuild_index``) and needs no backup.

* SQLite (the default set-up): SQLite's online backup API copies the database
  page by page through its own locks, so the copy is one consistent state
  even while gunicorn workers read and an ingest or an editor writes. The
  restore copies a backup back the same way, in place.
* PostgreSQL: ``pg_dump`` in its custom format (one consistent snapshot,
  taken without blocking readers or writers) and ``pg_restore --clean``.

Either way the rows come back exactly as they were: every table, the edit
history with its full timestamps, the sequences. A backup directory holds the
database file or dump and ``manifest.json`` (engine, time, row counts), which
the restore checks before it touches anything.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

MANIFEST = "manifest.json"
SQLITE_FILE = "archive.sqlite3"
POSTGRES_FILE = "archive.pgdump"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line."""


@dataclass
class BackupResult:
    directory: Path
    engine: str
    tables: int
    rows: int

    @property
    def summary(self) -> str:
        return f"{self.rows} rows of {self.tables} tables ({self.engine})"


def engine_name() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup for the {vendor} database engine (SQLite or PostgreSQL)")
    return vendor


def table_counts() -> dict[str, int]:
    """Rows per table of the archive's database, every table (SQLite's own
    statistics tables apart: PRAGMA optimize may rewrite them at any time)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _prepare_directory(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory}: not empty; give a new or empty directory")


def backup(directory: Path) -> BackupResult:
    directory = Path(directory)
    engine = engine_name()
    _prepare_directory(directory)
    if engine == "sqlite":
        target = directory / SQLITE_FILE
        _sqlite_backup(target)
        counts = _sqlite_counts(target)
    else:
        target = directory / POSTGRES_FILE
        counts = _postgres_dump(target)
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "file": target.name,
        "sha256": _sha256(target),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "tables": counts,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return BackupResult(directory, engine, len(counts), sum(counts.values()))


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step, inside one read transaction: the copy is the last
        # committed state when it began. In WAL mode (config/settings.py)
        # readers do not block writers, so workers and an ingest go on; copying
        # in several steps would restart at every write and might never end.
        connection.connection.backup(destination, pages=-1)
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def _sqlite_counts(path: Path) -> dict[str, int]:
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in tables}
    finally:
        copy.close()


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{directory}: no {MANIFEST}; not a backup made by manage.py backup") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: unreadable ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r}, expected {FORMAT}")
    return manifest


def restore(directory: Path) -> BackupResult:
    """Replace the database's content with the backup in ``directory``.
    Stop the site (or at least the writers) first: readers see the old or the
    new archive, never a mix, but a write made meanwhile is lost."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    engine = engine_name()
    if manifest["engine"] != engine:
        raise BackupError(f"{directory}: a {manifest['engine']} backup; this archive uses {engine}")
    source = directory / manifest["file"]
    if not source.exists():
        raise BackupError(f"{source}: missing")
    if _sha256(source) != manifest["sha256"]:
        raise BackupError(f"{source}: its checksum differs from the manifest's; the backup is damaged")
    if engine == "sqlite":
        _sqlite_restore(source)
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={_postgres_name()}",
                str(source),
            ]
        )
    counts = table_counts()
    expected = manifest["tables"]
    if counts != expected:
        differing = sorted(name for name in set(counts) | set(expected) if counts.get(name) != expected.get(name))
        raise BackupError(f"restored, but row counts differ from the manifest in: {', '.join(differing)}")
    return BackupResult(directory, engine, len(counts), sum(counts.values()))


def _sqlite_restore(source: Path) -> None:
    connection.ensure_connection()
    backup_copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        check = backup_copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{source}: SQLite integrity check failed ({check})")
        backup_copy.backup(connection.connection)
    finally:
        backup_copy.close()


# PostgreSQL -----------------------------------------------------------------


def _postgres_dump(target: Path) -> dict[str, int]:
    """Dump one snapshot of the database and count its rows in the same one:
    pg_dump runs on the snapshot this transaction exports."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}", _postgres_name()]
        )
    return counts


def _postgres_name() -> str:
    """The database name; the rest of the connection goes in PG* variables."""
    return connection.settings_dict["NAME"]


def _postgres_environment() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found; install it with: apt-get install postgresql-client")
    result = subprocess.run(command, env=_postgres_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{command[0]} failed: {detail}")
