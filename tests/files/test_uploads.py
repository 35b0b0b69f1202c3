"""POST /api/v1/files: each kind accepted (images re-encoded), each refusal clear, nothing stored when refused."""
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.conftest import bearer
from tests.files import samples
from tests.files.conftest import Uploader


def _count(app, table: str) -> int:
    from exchange.db import db

    with app.app_context():
        return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


@pytest.mark.parametrize("fmt, extension, content_type", [
    ("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg"), ("WEBP", "webp", "image/webp"),
    ("GIF", "gif", "image/gif")])
def test_each_image_format_is_stored_re_encoded(uploader, client, fmt, extension, content_type):
    response = uploader.post(samples.image(fmt), f"chart.{extension}")
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"url", "hash", "name", "size", "content_type"}
    assert body["content_type"] == content_type and body["name"] == f"chart.{extension}"
    assert body["url"] == f"/files/{body['hash']}/{body['name']}"
    served = client.get(body["url"], headers=bearer(uploader.token))
    assert served.status_code == 200  # the uploader sees their own file before it is attached
    assert Image.open(io.BytesIO(served.data)).format == fmt


def test_jpeg_metadata_is_stripped(uploader, client):
    original = samples.image("JPEG", exif=True)
    assert b"SpyCam" in original
    response = uploader.post(original, "photo.jpg")
    served = client.get(response.json["url"], headers=bearer(uploader.token))
    assert b"SpyCam" not in served.data
    assert not Image.open(io.BytesIO(served.data)).getexif()


def test_large_images_are_scaled_down(uploader, client):
    response = uploader.post(samples.image("PNG", size=(5000, 1000)), "wide.png")
    picture = Image.open(io.BytesIO(client.get(response.json["url"], headers=bearer(uploader.token)).data))
    assert picture.size == (2400, 480)


@pytest.mark.parametrize("data, name, extension, content_type", [
    (samples.PDF, "report.pdf", "pdf", "application/pdf"),
    (samples.docx(["Our pilot"]), "notes.docx", "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (samples.XLSX, "figures.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (samples.ODT, "notes.odt", "odt", "application/vnd.oasis.opendocument.text"),
    (samples.CSV, "figures.csv", "csv", "text/csv"),
])
def test_each_document_kind_is_stored_as_sent(uploader, client, data, name, extension, content_type):
    response = uploader.post(data, name)
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == content_type and response.json["size"] == len(data)
    served = client.get(response.json["url"], headers=bearer(uploader.token))
    assert served.data == data
    assert served.headers["Content-Disposition"] == f'attachment; filename="{response.json["name"]}"'
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_the_type_comes_from_the_content_not_the_name(uploader):
    response = uploader.post(samples.PDF, "innocent.png")
    assert response.status_code == 201
    assert response.json["content_type"] == "application/pdf" and response.json["name"] == "innocent.pdf"


def test_a_hostile_name_becomes_a_safe_one(uploader):
    response = uploader.post(samples.PDF, "../../etc/pass wd<script>é.pdf")
    assert response.json["name"] == "pass-wd-script-e.pdf"


@pytest.mark.parametrize("data, name, status, words", [
    (samples.SVG, "logo.svg", 415, "SVG"),
    (b"MZ\x90\x00\x03\x00\x00\x00binary", "setup.exe", 415, "not accepted"),
    (b"<html><script>alert(1)</script></html>", "page.csv", 415, "not accepted"),
    (samples.zipped({"a.txt": b"hello"}), "archive.zip", 415, "not a Word"),
    (b"PK\x03\x04 not really a zip", "broken.docx", 422, "damaged"),
    (samples.zip_bomb(), "bomb.docx", 422, "zip bomb"),
    (samples.huge_png(), "huge.png", 422, "million pixels"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "truncated.png", 422, "damaged"),
    (b"", "empty.pdf", 422, "empty"),
])
def test_refused_files_say_why_and_store_nothing(app, uploader, data, name, status, words):
    response = uploader.post(data, name)
    assert response.status_code == status
    assert words in response.json["error"]["message"]
    assert response.json["error"]["code"] in ("unsupported_media_type", "invalid")
    assert _count(app, "files") == 0 and _count(app, "file_blobs") == 0


def test_over_the_size_limit_is_413(app, new_app, make):
    small = new_app(UPLOAD_MAX_MB=1)
    uploader = Uploader(small.test_client(), make)
    response = uploader.post(samples.PDF + b"0" * (1024 * 1024), "big.pdf")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large" and "1 MB" in response.json["error"]["message"]
    assert _count(app, "files") == 0


def test_far_over_the_limit_is_413_before_the_body_is_read(new_app, make):
    small = new_app(UPLOAD_MAX_MB=1)
    uploader = Uploader(small.test_client(), make)
    response = uploader.post(samples.PDF + b"0" * (3 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413 and "1 MB" in response.json["error"]["message"]


def test_uploads_up_to_the_limit_pass_the_site_wide_body_limit(uploader):
    data = samples.PDF + b"%" * (3 * 1024 * 1024)  # over MAX_CONTENT_LENGTH (1 MiB), under 10 MB
    assert uploader.post(data, "long.pdf").status_code == 201


def test_the_agency_quota_is_kept(new_app, make):
    app = new_app(UPLOAD_AGENCY_MB=1)
    agency = make.agency()
    first = Uploader(app.test_client(), make, make.user(agency=agency))
    second = Uploader(app.test_client(), make, make.user(agency=agency))
    assert first.post(samples.PDF + b"%" * 700_000, "a.pdf").status_code == 201
    response = second.post(samples.PDF + b"%%" * 200_000, "b.pdf")
    assert response.status_code == 413 and "quota" in response.json["error"]["message"]
    elsewhere = Uploader(app.test_client(), make)
    assert elsewhere.post(samples.PDF + b"%%" * 200_000, "b.pdf").status_code == 201


def test_unverified_members_may_not_upload(client, make):
    uploader = Uploader(client, make, make.user(verified=False))
    response = uploader.post(samples.PDF, "a.pdf")
    assert response.status_code == 403 and response.json["error"]["code"] == "unverified"


def test_visitors_need_a_token(client):
    response = client.post("/api/v1/files", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(samples.PDF), "a.pdf")})
    assert response.status_code == 401


def test_a_json_body_is_415_and_a_missing_file_422(uploader, client):
    assert client.post("/api/v1/files", json={"file": "x"}, headers=bearer(uploader.token)).status_code == 415
    response = client.post("/api/v1/files", headers=bearer(uploader.token), content_type="multipart/form-data",
                           data={"article": "x"})
    assert response.status_code == 422 and response.json["error"]["fields"] == {"file": "required"}


def test_unknown_fields_are_422(uploader):
    response = uploader.post(samples.PDF, "a.pdf", colour="red")
    assert response.status_code == 422 and "colour" in response.json["error"]["fields"]


def test_same_bytes_are_stored_once(app, uploader):
    first = uploader.post(samples.PDF, "a.pdf").json
    second = uploader.post(samples.PDF, "b.pdf").json
    assert first["hash"] == second["hash"] and first["url"] != second["url"]
    assert _count(app, "file_blobs") == 1 and _count(app, "files") == 2


def test_uploading_to_an_article_needs_the_right_to_edit_it(uploader, make):
    article = make.article(status="draft")  # another agency's draft
    response = uploader.post(samples.PDF, "a.pdf", article=article.slug)
    assert response.status_code == 404
    mine = make.article(uploader.user, status="draft")
    assert uploader.post(samples.PDF, "a.pdf", article=mine.slug).status_code == 201


@pytest.mark.parametrize("slug", ["no-such-article", "x\x00y", "../etc", "A" * 300])
def test_an_unknown_or_hostile_article_is_404(uploader, slug):
    response = uploader.post(samples.PDF, "a.pdf", article=slug)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_directory_storage_keeps_the_bytes_in_files(new_app, make, tmp_path):
    app = new_app(UPLOAD_DIR=str(tmp_path / "uploads"))
    uploader = Uploader(app.test_client(), make)
    body = uploader.post(samples.PDF, "a.pdf").json
    on_disk = tmp_path / "uploads" / body["hash"][:2] / body["hash"]
    assert on_disk.read_bytes() == samples.PDF
    from exchange.db import db
    from exchange.files.models import FileBlob

    with app.app_context():
        assert db.session.get(FileBlob, body["hash"]).data is None
    served = app.test_client().get(body["url"], headers=bearer(uploader.token))
    assert served.status_code == 200 and served.data == samples.PDF


def test_database_storage_keeps_the_bytes_in_the_database(app, uploader):
    body = uploader.post(samples.PDF, "a.pdf").json
    from exchange.db import db
    from exchange.files.models import FileBlob

    with app.app_context():
        assert db.session.get(FileBlob, body["hash"]).data == samples.PDF
