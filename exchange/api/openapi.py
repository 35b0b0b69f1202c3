"""The OpenAPI 3.1 document describing /api/v1: the shared parts, and each domain's ``PATHS`` and ``SCHEMAS``."""
from exchange.db import MAX_INT
from exchange.pagination import MAX_PAGE, MAX_PER_PAGE

ERROR_CODES = {
    "400": "Bad request (a body that is not valid JSON)",
    "401": "Missing, wrong or revoked token",
    "403": "Not allowed (code `forbidden`), or the account's email address is not verified yet (code `unverified`)",
    "404": "Not found (or a draft you may not see)",
    "409": "Conflict with a newer revision",
    "412": "If-Match names a version that is no longer current",
    "413": "Request larger than 1 MiB (uploads: larger than EXCHANGE_UPLOAD_MAX_MB, or over the agency's quota)",
    "415": "The body is not sent as Content-Type: application/json (uploads: multipart/form-data), or an upload "
           "is a kind of file the site does not take",
    "422": "Invalid input or parameters; `fields` names each problem",
    "429": "Too many requests",
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(*codes: str) -> dict:
    return {code: {"$ref": f"#/components/responses/E{code}"} for code in codes}


def query_param(name: str, schema: dict, description: str = "") -> dict:
    """An optional query-string parameter; empty (``?kind=``, as a form sends "any") means absent."""
    if schema.get("type") == "string" and "enum" in schema:
        schema = {**schema, "enum": [*schema["enum"], ""]}
    elif schema.get("type") != "string":
        schema = {"anyOf": [schema, {"type": "string", "enum": [""]}]}
    note = "empty: as if absent"
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": f"{description}; {note}" if description else note}


def page_params() -> list[dict]:
    """``page`` and ``per_page``, as every paginated list reads them (``exchange/pagination.py``)."""
    return [query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
            query_param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20})]


def path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def id_param(name: str) -> dict:
    """A numeric id in the path: 1 to MAX_INT (``exchange/converters.py``); anything else is a 404."""
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INT}}


# A slug as the server writes them: lowercase words joined by single hyphens (``exchange/text.py``).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A filter in a query: a slug, or empty for no filter.
SLUG_FILTER_PATTERN = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$"
# Where an agency is (exchange/accounts/places.py): an ISO 3166-1 code, or a level of government;
# after a minus sign, every other one. A code of two letters that names no country is a 422 too.
COUNTRY_FILTER_PATTERN = r"^(?:-?[A-Za-z]{2})?$"
LEVEL_FILTER_PATTERN = r"^(?:-?(?:national|regional|local|other))?$"


def place_params() -> list[dict]:
    """The ``country`` and ``level`` filters of lists and search."""
    return [
        query_param("country", {"type": "string", "pattern": COUNTRY_FILTER_PATTERN},
                    "The agency's country, an ISO 3166-1 two-letter code (GB); after a minus sign (-GB), every "
                    "other country (agencies with no country stated included). A code that names no country is "
                    "a 422"),
        query_param("level", {"type": "string", "pattern": LEVEL_FILTER_PATTERN},
                    "The agency's level of government: national, regional, local or other; after a minus sign "
                    "(-local), every other level"),
    ]


SLUG_LIST_FILTER_PATTERN = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*(?:,[a-z0-9]+(?:-[a-z0-9]+)*)*)?$"
# Text as exchange/text.py takes it: no NUL anywhere (a 422), and for a field that must say
# something, characters that stay once control, invisible and surrounding space characters are gone.
NO_NUL_PATTERN = r"^[^\x00]*$"
_VISIBLE = (r"[^\s\x00-\x1f\x7f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
            r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def visible_pattern(at_least: int = 1) -> str:
    """A pattern for text with at least this many characters that show."""
    return "^" + f"[^\\x00]*{_VISIBLE}" * at_least + "[^\\x00]*$"


VISIBLE_PATTERN = visible_pattern()


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "description": "e.g. invalid, not_found, forbidden, unverified, "
                             "unauthorized, conflict, too_many_attempts, precondition_failed"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "current_revision": {"type": "integer"},
                    "sections": {"type": "array", "description": "publishing: each section still to fill in",
                                 "items": {"type": "object", "properties": {
                                     "section": {"type": "string"}, "problem": {"type": "string"},
                                     "message": {"type": "string"}}}},
                },
            }
        },
    },
    "AgencyRef": {
        "type": "object",
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    },
}


def extend(app, paths: dict, schemas: dict | None = None) -> None:
    """Add a domain's paths and schemas to this app's document (``create_app`` does, for each domain)."""
    app.extensions.setdefault("exchange.openapi", []).append((paths, schemas or {}))


def document() -> dict:
    """The whole OpenAPI document."""
    from flask import current_app

    paths, schemas = {}, dict(SCHEMAS)
    for more_paths, more_schemas in current_app.extensions.get("exchange.openapi", []):
        paths.update(more_paths)
        schemas.update(more_schemas)
    paths = {path: {method: _with_shared_answers(method, op) for method, op in item.items()}
             for path, item in paths.items()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "The Exchange API",
            "version": "1",
            "description": "Public agencies share what works. Authenticate with `Authorization: Bearer TOKEN`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                f"E{code}": json_response(ref("Error"), description) for code, description in ERROR_CODES.items()
            },
        },
    }


def _with_shared_answers(method: str, operation: dict) -> dict:
    """The answers every endpoint can give whatever it does: 401 for a wrong token (``auth.guard_api``
    checks one wherever it is sent), for a body 400, 413, 415 and 422 (``body.read_json``), and for a
    GET an ETag and 304 (``responses.conditional``)."""
    shared = ("400", "401", "413", "415", "422") if "requestBody" in operation else ("401",)
    responses = {**errors(*shared), **operation["responses"]}
    if method == "get":
        ok = responses["200"]
        responses["200"] = {**ok, "headers": {**ok.get("headers", {}), "ETag": ETAG_HEADER}}
        responses["304"] = {"description": "Not modified: If-None-Match named the current ETag"}
    return {**operation, "responses": dict(sorted(responses.items()))}


ETAG_HEADER = {"description": "A weak ETag of the JSON; send it back as If-None-Match (a 304 if unchanged)",
               "schema": {"type": "string"}}
LINK_HEADER = {"description": 'The next and previous pages: `<url>; rel="next", <url>; rel="prev"`',
               "schema": {"type": "string"}}
PAGE_LINKS = {"next": {"type": ["string", "null"], "description": "The next page's URL, or null on the last"},
              "prev": {"type": ["string", "null"], "description": "The previous page's URL, or null on the first"}}


def paginated_response(schema: dict) -> dict:
    """A 200 of one page of a list: ``schema`` plus ``next`` and ``prev``, and the Link header."""
    return {**json_response({**schema, "properties": {**schema["properties"], **PAGE_LINKS}}),
            "headers": {"Link": LINK_HEADER}}


IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "The ETag of your GET: the edit is refused with 412 if it changed since"
                           " (* names no version: send base_revision with it)"}
