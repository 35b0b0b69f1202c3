"""Where the Whoosh index lives: generation directories and a pointer to the live one.

``SEARCH_INDEX`` holds ``CURRENT`` (the name of the live generation) and one directory per
generation. A rebuild fills a new generation and swaps the pointer with one atomic rename,
so readers always find a complete index; the previous generation is kept until the next
rebuild because a reader may still be inside it.
"""
import os
import secrets
import shutil
import time
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for

from exchange.search.interface import IndexBusy
from exchange.search.whoosh.schema import SCHEMA, SCHEMA_VERSION

POINTER = "CURRENT"
SCHEMA_FILE = "SCHEMA"  # in each generation: the schema version it was built with
PREFIX = "gen-"


class IndexStore:
    """The generations of one index directory."""

    def __init__(self, root):
        self.root = Path(root)

    def current_name(self) -> str | None:
        """The live generation's directory name, or None when there is no index yet."""
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name if name.startswith(PREFIX) and "/" not in name and name != PREFIX else None

    def open(self, name: str | None = None):
        """The live (or named) generation's Whoosh index, or None if there is none."""
        name = name or self.current_name()
        if name is None:
            return None
        if _schema_version(self.root / name) != SCHEMA_VERSION:
            return None  # built for another schema: as good as missing, until a reindex
        try:
            return index.open_dir(str(self.root / name), schema=SCHEMA)
        except (index.EmptyIndexError, FileNotFoundError):
            return None

    def ensure(self, timeout: float):
        """The live index, creating an empty first generation if there is none."""
        live = self.open()
        if live is not None:
            return live
        with self.lock("create", timeout):
            live = self.open()
            if live is None:
                name, live = self.new_generation()
                self.swap(name)
            return live

    def new_generation(self):
        """A new, empty generation (not live until ``swap``)."""
        name = f"{PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        path = self.root / name
        path.mkdir(parents=True)
        (path / SCHEMA_FILE).write_text(SCHEMA_VERSION, encoding="utf-8")
        return name, index.create_in(str(path), SCHEMA)

    def swap(self, name: str) -> None:
        """Make ``name`` the live generation, atomically."""
        temporary = self.root / f".{POINTER}.{secrets.token_hex(4)}"
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(name)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.root / POINTER)

    def prune(self, keep: set[str]) -> None:
        """Delete the generations not in ``keep``."""
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith(PREFIX) and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    def check_writable(self) -> None:
        """Raise OSError unless new generations can be made here."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied", str(self.root))

    def lock(self, name: str, timeout: float):
        """An exclusive lock over the whole directory (across processes and threads)."""
        self.root.mkdir(parents=True, exist_ok=True)
        return _HeldLock(FileStorage(str(self.root)).lock(f".{name}.lock"), timeout)


def _schema_version(path: Path) -> str | None:
    try:
        return (path / SCHEMA_FILE).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None


class _HeldLock:
    def __init__(self, lock, timeout):
        self._lock, self._timeout = lock, timeout

    def __enter__(self):
        if not try_for(self._lock.acquire, timeout=self._timeout, delay=0.05):
            raise IndexBusy("The search index is busy.")
        return self

    def __exit__(self, *exc):
        self._lock.release()
