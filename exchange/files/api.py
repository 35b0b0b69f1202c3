"""The file rows of the API: upload an image or document, import a Word document as a draft."""
from flask import jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from exchange.api import bp, openapi, require_api_user
from exchange.articles.api import article_json
from exchange.errors import Invalid, UnsupportedMediaType
from exchange.files import services, wordimport
from exchange.files.formats import ACCEPTED
from exchange.files.services import TooLarge


def file_json(stored) -> dict:
    return {"url": stored.url, "hash": stored.hash, "name": stored.name, "size": stored.size,
            "content_type": stored.content_type}


def sent_file(allowed: tuple[str, ...]) -> tuple[bytes, str, dict]:
    """The multipart ``file`` field's bytes and name, and the other fields; refuses any other body."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the file as multipart/form-data, in a field named 'file'.")
    try:
        upload = request.files.get("file")
        fields = request.form.to_dict()
    except RequestEntityTooLarge:
        raise too_large() from None
    unknown = (set(fields) | set(request.files)) - set(allowed) - {"file"}
    if unknown:
        raise Invalid(f"Unknown fields: {', '.join(sorted(unknown))}.", {f: "unknown field" for f in unknown})
    if upload is None:
        raise Invalid("Choose a file to upload (the field 'file').", {"file": "required"})
    data = upload.read(services.max_bytes() + 1)
    services.require_small_enough(len(data))
    return data, upload.filename or "", fields


def too_large() -> TooLarge:
    limit = services.max_bytes() // services.MB
    return TooLarge(f"The file is too large: files may be at most {limit} MB.", {"file": f"over {limit} MB"})


@bp.post("/files")
def upload_file():
    user = require_api_user()
    data, name, fields = sent_file(("article",))
    stored = services.upload(user, data, name, fields.get("article") or None)
    return jsonify(file_json(stored)), 201, {"Location": stored.url}


@bp.post("/imports")
def import_document():
    user = require_api_user()
    data, name, fields = sent_file(("kind",))
    imported = wordimport.import_docx(user, data, name, fields.get("kind") or "case_study")
    return jsonify(article_json(imported.article)), 201, {"Location": f"/api/v1/articles/{imported.article.slug}"}


SCHEMAS = {
    "File": {"type": "object", "required": ["url", "hash", "name", "size", "content_type"], "properties": {
        "url": {"type": "string", "description": "/files/<hash>/<name>: in a body as ![alt](url) or [name](url)"},
        "hash": {"type": "string", "description": "SHA-256 of the stored bytes (images: as re-encoded)"},
        "name": {"type": "string"}, "size": {"type": "integer"}, "content_type": {"type": "string"}}},
    "FileUpload": {"type": "object", "required": ["file"], "additionalProperties": False, "properties": {
        "file": {"type": "string", "format": "binary", "description": f"{ACCEPTED}; at most EXCHANGE_UPLOAD_MAX_MB"},
        "article": {"type": "string", "description": "the slug of an article you may edit, to attach the file to; "
                                                     "absent: yours until an article's body uses it"}}},
    "WordImport": {"type": "object", "required": ["file"], "additionalProperties": False, "properties": {
        "file": {"type": "string", "format": "binary", "description": "a Word document (.docx)"},
        "kind": {"type": "string", "enum": ["case_study", "playbook"], "description": "default case_study"}}},
}

_ERRORS = openapi.errors("401", "403", "404", "413", "415", "422")
PATHS = {
    "/files": {"post": {
        "summary": "Upload an image (re-encoded, metadata removed) or a document (checked by its content)",
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": openapi.ref("FileUpload")}}},
        "responses": {"201": openapi.json_response(openapi.ref("File"), "Stored"), **_ERRORS}}},
    "/imports": {"post": {
        "summary": "Import a Word document as a new draft (its images become uploads)",
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": openapi.ref("WordImport")}}},
        "responses": {"201": openapi.json_response(openapi.ref("Article"), "The draft"), **_ERRORS}}},
}
