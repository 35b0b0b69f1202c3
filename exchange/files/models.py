"""Uploaded files: the bytes once per content hash (``FileBlob``), and each upload of them (``StoredFile``)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import User
from exchange.articles.models import Article
from exchange.db import Base, UTCDateTime, utcnow

KINDS = ("image", "document")
LABELS = {"pdf": "PDF", "docx": "Word document", "xlsx": "Excel spreadsheet", "odt": "OpenDocument text",
          "csv": "CSV table", "png": "PNG image", "jpg": "JPEG image", "webp": "WebP image", "gif": "GIF image"}


class FileBlob(Base):
    """The bytes of a file, once per SHA-256; ``data`` is empty when they are kept in EXCHANGE_UPLOAD_DIR."""

    __tablename__ = "file_blobs"

    hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, default=None, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredFile(Base):
    """One upload: its name and type, who uploaded it, and the article it belongs to (none until attached)."""

    __tablename__ = "files"
    __table_args__ = (sa.Index("ix_files_hash_name", "hash", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str] = mapped_column(sa.ForeignKey("file_blobs.hash"))
    name: Mapped[str] = mapped_column(sa.String(120))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(10))  # image or document
    size: Mapped[int]
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)  # the uploader's: its quota
    uploader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True,
                                                   default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article | None] = relationship()
    uploader: Mapped[User] = relationship()

    @property
    def url(self) -> str:
        return f"/files/{self.hash}/{self.name}"

    @property
    def label(self) -> str:
        """What kind of file it is, in words: "PDF", "Word document"."""
        return LABELS.get(self.name.rsplit(".", 1)[-1], "File")

    @property
    def markdown(self) -> str:
        """What to paste into a body: an image (its alt text to write) or a link."""
        if self.kind == "image":
            return f"![Describe the image]({self.url})"
        return f"[{self.name}]({self.url})"
