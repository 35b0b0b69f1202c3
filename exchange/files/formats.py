"""What an uploaded file is, judged by its bytes (never its name), and how each kind is made safe to serve.

Images (PNG, JPEG, WebP, GIF) are decoded and written again by Pillow: what is served is pixels we
encoded, without metadata (EXIF, comments, colour profiles), at most MAX_SIDE pixels a side. Documents
(PDF, DOCX, XLSX, ODT, CSV) are kept as sent once their bytes show they are what they claim; office
files are zips, opened only after their sizes are checked (``require_safe_zip``). SVG is refused: it
can carry script.
"""
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from exchange.errors import DomainError, Invalid, UnsupportedMediaType

MAX_SIDE = 2400  # pixels: larger images are scaled down to this
MAX_PIXELS = 40_000_000  # an image claiming more is refused before it is decoded (a decompression bomb)
MAX_ZIP_BYTES = 100 * 1024 * 1024  # an office file may hold at most this much once unpacked
MAX_ZIP_RATIO = 100  # nor may any part of it unpack to more than this many times its packed size
MAX_ZIP_ENTRIES = 2000
ACCEPTED = "PNG, JPEG, WebP or GIF images, and PDF, DOCX, XLSX, ODT or CSV documents"

IMAGE_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"),
                 "WEBP": ("webp", "image/webp"), "GIF": ("gif", "image/gif")}
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = ("odt", "application/vnd.oasis.opendocument.text")
PDF = ("pdf", "application/pdf")
CSV = ("csv", "text/csv")


class Refused(UnsupportedMediaType):
    """A kind of file the site does not take (415)."""


class Hostile(Invalid):
    """A file of an accepted kind built to harm (a zip bomb, a giant image): 422, nothing stored."""


@dataclass(frozen=True)
class Checked:
    """A file fit to store: its bytes (re-encoded for images), extension, media type and kind."""

    data: bytes
    extension: str
    content_type: str
    kind: str  # image or document


def check(data: bytes) -> Checked:
    """The file made safe to store, or a refusal saying why (415 for a kind not taken, 422 for a hostile one)."""
    if not data:
        raise Invalid("The file is empty.", {"file": "empty"})
    head = data[:512].lstrip()
    if head[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in data[:2048].lower():
        raise Refused("SVG images are not accepted (they can carry scripts): export the image as PNG.",
                      {"file": "SVG is not accepted"})
    if data.startswith(b"%PDF-"):
        return Checked(data, *PDF, "document")
    if data.startswith(b"PK\x03\x04"):
        return Checked(data, *office_kind(data), "document")
    if _is_image(data):
        return reencode(data)
    if _is_csv(data):
        return Checked(data, *CSV, "document")
    raise Refused(f"That kind of file is not accepted: upload {ACCEPTED}.", {"file": "kind not accepted"})


def _is_image(data: bytes) -> bool:
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _is_csv(data: bytes) -> bool:
    """UTF-8 text without NUL bytes or markup, in rows of the same shape."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if "\x00" in text or text.lstrip()[:1] == "<":
        return False
    rows = [row for row in csv.reader(io.StringIO(text[:65536])) if row][:50]
    return bool(rows) and len({len(row) for row in rows[:-1] or rows}) == 1


def reencode(data: bytes) -> Checked:
    """Decode the image and encode it again: no metadata, at most MAX_SIDE a side; refuses bombs."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_FORMATS:
                    raise Refused(f"That kind of image is not accepted: upload {ACCEPTED}.",
                                  {"file": "kind not accepted"})
                require_reasonable_size(*image.size)
                extension, content_type = IMAGE_FORMATS[image.format]
                fmt = image.format
                image.seek(0)
                picture = ImageOps.exif_transpose(image) if fmt == "JPEG" else image.copy()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise Invalid("The image could not be read: it may be damaged. Save it again and upload that.",
                          {"file": "damaged image"}) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "GIF":
        picture.save(out, "GIF")  # the first frame only
    else:
        picture.save(out, fmt, **({"optimize": True} if fmt == "PNG" else {"quality": 85}))
    return Checked(out.getvalue(), extension, content_type, "image")


def require_reasonable_size(width: int, height: int) -> None:
    """Refuse an image whose stated size would take too much memory to decode."""
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> DomainError:
    return Hostile(f"The image is too large to open: at most {MAX_PIXELS // 1_000_000} million pixels. "
                   "Make it smaller and upload it again.", {"file": "too many pixels"})


def office_kind(data: bytes) -> tuple[str, str]:
    """DOCX, XLSX or ODT, judged by the parts inside the zip; anything else is refused."""
    with safe_zip(data) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
        if "mimetype" in names and archive.read("mimetype").strip() == ODT[1].encode():
            return ODT
    raise Refused(f"That zip file is not a Word, Excel or OpenDocument text file: upload {ACCEPTED}.",
                  {"file": "kind not accepted"})


def safe_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, once its stated sizes show it is no bomb; refuses one that is not a zip at all."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Invalid("The file is damaged: it is not a readable zip (as Word and Excel files are). "
                      "Save it again and upload that.", {"file": "damaged"}) from None
    require_safe_zip(archive)
    return archive


def require_safe_zip(archive: zipfile.ZipFile) -> None:
    """Refuse a zip that unpacks to too much, too many parts, or parts packed suspiciously tight."""
    entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    tight = any(entry.file_size > 1024 * 1024 and entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1)
                for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or total > MAX_ZIP_BYTES or tight:
        raise Hostile("The file unpacks to far more than its size (a “zip bomb”), so it was not opened. "
                      "Save it again from Word or Excel and upload that.", {"file": "zip bomb"})
