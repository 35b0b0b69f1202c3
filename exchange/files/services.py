"""Uploading files, attaching them to articles, and who may fetch them.

A file belongs to an article, or to its uploader until an article's body uses it (``attach_used``):
whoever may see the article may fetch its files; nobody else learns they exist (404).
"""
import hashlib
import re
import unicodedata

import sqlalchemy as sa
from flask import current_app

from exchange.articles.models import Article
from exchange.articles.services import get_article
from exchange.db import db
from exchange.errors import DomainError, NotFound
from exchange.files import formats, storage
from exchange.files.models import StoredFile
from exchange.permissions import Actor, can_view, of_agency, require_edit, require_verified, signed_in

MB = 1024 * 1024
MAX_NAME = 100
SLUG = re.compile(r"[a-z0-9-]{1,100}")
USED = re.compile(r"\]\(\s*<?/files/(?P<hash>[0-9a-f]{64})/(?P<name>[A-Za-z0-9._-]+)")


class TooLarge(DomainError):
    """A file over EXCHANGE_UPLOAD_MAX_MB, or one that would take its agency over EXCHANGE_UPLOAD_AGENCY_MB."""

    status = 413
    code = "too_large"


def max_bytes() -> int:
    return current_app.config["UPLOAD_MAX_MB"] * MB


def require_small_enough(size: int) -> None:
    """Refuse a file over the size limit, saying what the limit is."""
    if size > max_bytes():
        limit = current_app.config["UPLOAD_MAX_MB"]
        raise TooLarge(f"The file is too large: files may be at most {limit} MB.", {"file": f"over {limit} MB"})


def upload(actor: Actor, data: bytes, name: str, article_slug: str | None = None) -> StoredFile:
    """Check, make safe and store a file for ``actor`` (a verified member), on an article they may edit."""
    require_verified(actor)
    article = _article_to_edit(actor, article_slug)
    require_small_enough(len(data))
    checked = formats.check(data)
    stored = record_upload(actor, checked, name, article)
    db.session.commit()
    return stored


def _article_to_edit(actor: Actor, slug: str | None) -> Article | None:
    if not slug:
        return None
    if not SLUG.fullmatch(slug):  # no article has it (and no database is asked about a NUL)
        raise NotFound("There is no article at this address.")
    article = get_article(actor, slug)
    require_edit(actor, article)
    return article


def record_upload(actor, checked: formats.Checked, name: str, article: Article | None) -> StoredFile:
    """Store the checked bytes (once per hash) and the upload, within the agency's quota."""
    require_quota(actor.agency_id, len(checked.data))
    digest = hashlib.sha256(checked.data).hexdigest()
    storage.keep(digest, checked.data)
    stored = StoredFile(hash=digest, name=safe_name(name, checked.extension), content_type=checked.content_type,
                        kind=checked.kind, size=len(checked.data), agency_id=actor.agency_id,
                        uploader_id=actor.id, article=article)
    db.session.add(stored)
    db.session.flush()
    return stored


def require_quota(agency_id: int, adding: int) -> None:
    used = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StoredFile.size), 0))
                             .where(StoredFile.agency_id == agency_id))
    quota = current_app.config["UPLOAD_AGENCY_MB"] * MB
    if used + adding > quota:
        raise TooLarge(f"Your agency's uploads would pass its quota of {current_app.config['UPLOAD_AGENCY_MB']} MB "
                       "(EXCHANGE_UPLOAD_AGENCY_MB). Ask an admin to raise it.", {"file": "over the agency's quota"})


def safe_name(name: str, extension: str) -> str:
    """A file name safe in a URL and a header: ASCII letters, digits, dots, hyphens; the true extension."""
    stem = (name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-._")[: MAX_NAME - 6] or "file"
    return f"{stem}.{extension}"


def find(viewer: Actor, digest: str, name: str) -> StoredFile:
    """The upload at /files/<hash>/<name> if ``viewer`` may see it; otherwise it does not exist (404)."""
    uploads = db.session.scalars(sa.select(StoredFile).where(StoredFile.hash == digest, StoredFile.name == name)
                                 .order_by(StoredFile.id)).all()
    visible = [each for each in uploads if may_see(viewer, each)]
    if not visible:
        raise NotFound("There is no file at this address.")
    public = [each for each in visible if is_public(each)]
    return (public or visible)[0]


def may_see(viewer: Actor, stored: StoredFile) -> bool:
    """As its article is seen; before it is attached, by its uploader and their agency's staff."""
    if stored.article is not None:
        return can_view(viewer, stored.article)
    return of_agency(viewer, stored.agency_id) or (signed_in(viewer) and viewer.id == stored.uploader_id)


def is_public(stored: StoredFile) -> bool:
    """Anyone may fetch it (and caches may keep it): its article is published or withdrawn, not a draft."""
    return stored.article is not None and stored.article.status != "draft"


def content(stored: StoredFile) -> bytes:
    return storage.read(stored.hash)


def attachments(viewer: Actor, article: Article) -> list[StoredFile]:
    """The documents attached to an article, oldest first (images show in its body)."""
    if not can_view(viewer, article):
        return []
    return list(db.session.scalars(sa.select(StoredFile).where(
        StoredFile.article_id == article.id, StoredFile.kind == "document").order_by(StoredFile.id)))


def files_of(article: Article) -> list[StoredFile]:
    """Every upload that belongs to an article (for a full export)."""
    return list(db.session.scalars(sa.select(StoredFile).where(StoredFile.article_id == article.id)
                                   .order_by(StoredFile.id)))


def restore_file(article: Article, uploader, data: bytes, name: str, content_type: str, kind: str) -> StoredFile:
    """Put back an upload of an exported article (``exchange content load``): its bytes as they were exported."""
    digest = hashlib.sha256(data).hexdigest()
    storage.keep(digest, data)
    stored = StoredFile(hash=digest, name=name, content_type=content_type, kind=kind, size=len(data),
                        agency_id=uploader.agency_id, uploader_id=uploader.id, article_id=article.id)
    db.session.add(stored)
    return stored


def used_in(body: str) -> set[tuple[str, str]]:
    """The (hash, name) of every upload a body links to or shows."""
    return {(m.group("hash"), m.group("name")) for m in USED.finditer(body or "")}


def attach_used(connection, article_id: int, agency_id: int, body: str) -> None:
    """Give an article the uploads its body uses that belong to nobody yet, or a row of its own for
    those its agency uploaded for another article (so each is seen as its article is)."""
    used = used_in(body)
    if not used:
        return
    files = StoredFile.__table__
    hashes = {digest for digest, _ in used}
    rows = connection.execute(sa.select(files).where(files.c.hash.in_(hashes), files.c.agency_id == agency_id)
                              .order_by(files.c.id)).mappings().all()
    have = {(row["hash"], row["name"]) for row in rows if row["article_id"] == article_id}
    for row in rows:
        key = (row["hash"], row["name"])
        if key not in used or key in have:
            continue
        if row["article_id"] is None:
            connection.execute(files.update().where(files.c.id == row["id"]).values(article_id=article_id))
        else:
            copy = {k: v for k, v in row.items() if k != "id"}
            connection.execute(files.insert().values(**{**copy, "article_id": article_id}))
        have.add(key)
