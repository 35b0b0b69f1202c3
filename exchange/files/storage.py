"""Where the bytes of uploads are kept: in the database (the default, shared by every server) or a directory.

EXCHANGE_UPLOAD_DIR set: each file is ``<dir>/<first two hex digits>/<hash>``, written to a temporary
name and renamed, so a reader never sees half a file. Either way a blob is stored once per content hash.
"""
import os
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from exchange.db import db
from exchange.errors import NotFound
from exchange.files.models import FileBlob


def directory() -> Path | None:
    """The upload directory, or None when files are kept in the database."""
    folder = current_app.config.get("UPLOAD_DIR")
    return Path(folder).absolute() if folder else None


def _path(folder: Path, digest: str) -> Path:
    return folder / digest[:2] / digest


def keep(digest: str, data: bytes) -> None:
    """Store the bytes under their hash, unless they are already there."""
    folder = directory()
    blob = db.session.get(FileBlob, digest)
    if folder is not None:
        _write(_path(folder, digest), data)
    if blob is None:
        db.session.add(FileBlob(hash=digest, size=len(data), data=None if folder else data))
    elif folder is None and blob.data is None:
        blob.data = data  # kept in a directory before; the database now holds it too


def _write(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def read(digest: str) -> bytes:
    """The bytes of a stored file, from the database or the directory."""
    data = db.session.scalar(sa.select(FileBlob.data).where(FileBlob.hash == digest))
    if data is not None:
        return data
    folder = directory()
    if folder is not None and _path(folder, digest).is_file():
        return _path(folder, digest).read_bytes()
    raise NotFound("That file is missing from storage.")
