"""The rebuild manifest: what each output in a folder was built from.

An output is up to date when its record matches what we would build now (input bytes, the
exporter and its version, the style files' content, the options, this package's version) and
the file exists: decided by content, never by clock. The manifest is an SQLite database in
WAL mode inside the output folder; every committed record survives `kill -9`, and a record is
only written after its output was renamed into place, so a killed run is redone exactly where
it stopped. Records are queued and written together when the engine commits (once per chunk).

It also keeps a stat cache, as git's index does: the hash of each input (and style file) with
the file's (size, mtime, ctime, inode, device) when it was hashed. A file whose stat is still
the same is not read again; any change to it changes its stat (ctime moves even when mtime is
set back), and it is hashed again. Only stats older than `RACY_NS` when taken are recorded: a
file changed in the same clock tick as it was hashed could otherwise keep its stat.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..select import Verdict
from .discover import MANIFEST, Stat, stat_of

FILENAME = MANIFEST
SCHEMA = 1
# Each table's columns as (name, position in the primary key), as `PRAGMA table_info` lists them.
_TABLES = {
    "outputs": (("path", 1), ("source", 0), ("input", 0), ("exporter", 0), ("version", 0),
                ("styles", 0), ("options", 0), ("engine", 0)),
    "verdicts": (("input", 1), ("selection", 2), ("verdict", 0)),
    "areas": (("input", 1), ("area", 0)),
    "stats": (("path", 1), ("stat", 0), ("hash", 0)),
}
# A stat is recorded only if the file had not changed for this long when the stat was taken
# (coarse file-system clocks tick every few milliseconds; this also covers small clock skew).
RACY_NS = 2_000_000_000
_REMEMBER = "INSERT OR REPLACE INTO stats VALUES (?, ?, ?)"


@dataclass(frozen=True, slots=True)
class Stamp:
    """Everything an output depends on. Equal stamps mean an identical output."""

    input: str  # sha256 of the seed's bytes (for a bundle: of all its inputs and the selection)
    exporter: str
    version: str
    styles: str  # digest of the style files the exporter reads
    options: str  # fingerprint of the options the exporter uses
    engine: str  # the package's version and reader revision: a new reader reads bytes anew

    @property
    def values(self) -> tuple[str, str, str, str, str, str]:
        return (self.input, self.exporter, self.version, self.styles, self.options, self.engine)


def input_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Manifest:
    """The records of one output folder. Opened lazily: a run that writes nothing creates nothing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILENAME
        self.problem: str | None = None  # set when an unreadable manifest was replaced
        self.said: list[str] = []  # problems not yet reported (the engine drains this)
        self._failed = False  # cannot write: keep converting, record nothing more
        self._db: sqlite3.Connection | None = None
        self._outputs: dict[str, tuple[str, ...]] = {}  # key → Stamp.values: tuples load quicker
        self._stats: dict[str, tuple[str, str]] | None = None  # path → (stat, hash), read on first use
        self._queued: dict[str, list[tuple[object, ...]]] = {}  # statement → rows, until commit
        if self.path.exists():
            try:
                self._connect()
                self._load()
            except sqlite3.OperationalError as exc:  # locked, read-only, ...: leave it be
                self.close()
                self._give_up(exc)
            except sqlite3.DatabaseError as exc:
                # A damaged manifest, or an SQLite file with other tables, only costs a rebuild:
                # move it aside (it may be someone's database), say so once, start afresh.
                self.close()
                self._outputs.clear()
                self._set_aside(exc)

    # --- reading ---------------------------------------------------------------------------

    def up_to_date(self, key: str, stamp: Stamp, exists: bool | None = None) -> bool:
        """True when the output at `key` was built from exactly `stamp` and is still there
        (`exists`, when the caller knows it from a listing; else the file is looked at)."""
        if self._outputs.get(key) != stamp.values:
            return False
        return (self.folder / key).is_file() if exists is None else exists

    def known_hash(self, path: str, stat: Stat) -> str | None:
        """The sha256 recorded for the file at `path` (absolute) when its stat was `stat`; None
        if it was never recorded or the file has changed since (its stat is another)."""
        if self._stats is None:
            self._stats = self._read_stats()
        found = self._stats.get(path)
        if found is None or found[0] != _stat_text(stat):
            return None
        return found[1]

    def remember_hash(self, path: str, stat: Stat, digest: str, taken_ns: int) -> None:
        """Record that the file at `path` with `stat` (taken at or after `taken_ns`, time.time_ns)
        has the sha256 `digest`, unless it changed within `RACY_NS` of then."""
        if max(stat[1], stat[2]) >= taken_ns - RACY_NS:
            return
        text = _stat_text(stat)
        if self._stats is None:
            self._stats = self._read_stats()
        if self._stats.get(path) != (text, digest):
            self._stats[path] = (text, digest)
            self._write(_REMEMBER, (path, text, digest))

    def file_hash(self, path: str | Path) -> str:
        """The sha256 of a file's content (a style file), read only if its stat changed."""
        where = os.path.abspath(path)
        taken = time.time_ns()
        stat = stat_of(os.stat(where))
        known = self.known_hash(where, stat)
        if known is not None:
            return known
        with open(where, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        self.remember_hash(where, stat, digest, taken)
        return digest

    def verdict(self, input: str, selection: str) -> Verdict | None:
        """The cached selection verdict for these input bytes under these filters, if known."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT verdict FROM verdicts WHERE input = ? AND selection = ?", (input, selection)
            ).fetchone()
            return Verdict(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def area(self, input: str) -> str | None:
        """The area of the seed with these bytes, as recorded when it was last selected by area."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT area FROM areas WHERE input = ?", (input,)).fetchone()
            return row[0] if row else None
        except sqlite3.Error:
            return None

    # --- writing ---------------------------------------------------------------------------

    def record(self, key: str, source: str, stamp: Stamp) -> None:
        """Remember that the output at `key` (already renamed into place) was built from `stamp`."""
        self._write("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, source, *stamp.values))
        self._outputs[key] = stamp.values

    def record_verdict(self, input: str, selection: str, verdict: Verdict) -> None:
        self._write("INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)", (input, selection, verdict.value))

    def record_area(self, input: str, area: str) -> None:
        self._write("INSERT OR REPLACE INTO areas VALUES (?, ?)", (input, area))

    def commit(self) -> None:
        """Write every queued record, in one transaction."""
        if not self._queued or (self._db is None and set(self._queued) == {_REMEMBER}):
            return  # (the stat cache alone does not make a manifest: a run that wrote nothing)
        queued, self._queued = self._queued, {}
        if self._failed:
            return
        try:
            if self._db is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._connect()
            assert self._db is not None
            for sql, rows in queued.items():
                self._db.executemany(sql, rows)
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            self._give_up(exc)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.commit()
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------

    def _write(self, sql: str, args: tuple[object, ...]) -> None:
        if not self._failed:
            self._queued.setdefault(sql, []).append(args)

    def _set_aside(self, exc: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside, n = self.path.with_name(f"{FILENAME}.bad-{stamp}"), 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{FILENAME}.bad-{stamp}-{n}")
        try:
            self.path.rename(aside)
        except OSError as error:
            self._give_up(error)
            return
        for suffix in ("-wal", "-shm"):  # its journal goes with it (SQLite pairs them by name)
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").rename(f"{aside}{suffix}")
        self.problem = f"{self.path}: unreadable manifest ({exc}); moved it to {aside.name}; rebuilding"
        self.said.append(self.problem)

    def _give_up(self, exc: Exception) -> None:
        # The outputs themselves are fine; only the record of them is lost, which costs a
        # rebuild next time. Not a reason to stop converting.
        self._failed = True
        self.problem = f"{self.path}: cannot record what was built ({exc}); the next run rebuilds it"
        self.said.append(self.problem)

    def _connect(self) -> None:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            _check_tables(db)  # before changing anything in someone else's database
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (not a power cut,
            # which at worst costs a rebuild of the last few outputs).
            db.execute("PRAGMA synchronous=NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA):
                raise sqlite3.DatabaseError(f"manifest schema {version}, expected {SCHEMA}")
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS outputs (
                    path TEXT PRIMARY KEY, source TEXT, input TEXT, exporter TEXT,
                    version TEXT, styles TEXT, options TEXT, engine TEXT);
                CREATE TABLE IF NOT EXISTS verdicts (
                    input TEXT, selection TEXT, verdict TEXT, PRIMARY KEY (input, selection));
                CREATE TABLE IF NOT EXISTS areas (input TEXT PRIMARY KEY, area TEXT);
                CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, stat TEXT, hash TEXT);
                """
            )
            db.execute(f"PRAGMA user_version={SCHEMA}")
            db.commit()
        except BaseException:
            db.close()
            raise
        self._db = db

    def _load(self) -> None:
        assert self._db is not None
        rows = self._db.execute(
            "SELECT path, input, exporter, version, styles, options, engine FROM outputs"
        )
        self._outputs = {row[0]: row[1:] for row in rows}

    def _read_stats(self) -> dict[str, tuple[str, str]]:
        if self._db is None:
            return {}
        try:
            return {path: (stat, digest) for path, stat, digest in self._db.execute("SELECT * FROM stats")}
        except sqlite3.Error:  # unreadable now: every input is hashed, as without a cache
            return {}


def _stat_text(stat: Stat) -> str:
    # Text, not five integers: an inode or device number may not fit SQLite's signed 64 bits.
    return f"{stat[0]}:{stat[1]}:{stat[2]}:{stat[3]}:{stat[4]}"


def _check_tables(db: sqlite3.Connection) -> None:
    """A readable SQLite file with tables that are not ours is as unusable as a damaged one."""
    rows = db.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    for name, kind in rows.fetchall():
        if kind == "index" or kind == "trigger":
            continue
        found = tuple((row[1], row[5]) for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,)))
        if kind != "table" or _TABLES.get(name) != found:
            raise sqlite3.DatabaseError(f"it holds a {kind} {name!r} that is not a manifest's")
