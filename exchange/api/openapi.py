"""The OpenAPI 3.1 document describing /api/v1; each capability adds its paths here."""

ERROR_CODES = {
    "400": "Bad request",
    "401": "Missing, wrong or revoked token",
    "403": "Not allowed",
    "404": "Not found (or a draft you may not see)",
    "409": "Conflict with a newer revision",
    "413": "Request larger than 1 MiB",
    "422": "Invalid input; `fields` names each problem",
    "429": "Too many requests",
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(*codes: str) -> dict:
    return {code: {"$ref": f"#/components/responses/E{code}"} for code in codes}


def query_param(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "current_revision": {"type": "integer"},
                },
            }
        },
    },
    "AgencyRef": {
        "type": "object",
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    },
    "Agency": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "acronym": {"type": "string"},
            "level": {"type": "string", "enum": ["national", "regional", "local", "other"]},
            "country": {"type": "string"},
            "domains": {"type": "array", "items": {"type": "string"}},
            "article_count": {"type": "integer"},
        },
    },
    "Me": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "role": {"type": "string", "enum": ["member", "admin"]},
            "job_title": {"type": "string"},
            "agency": ref("AgencyRef"),
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}

PATHS = {
    "/me": {
        "get": {
            "summary": "The token's owner",
            "responses": {"200": json_response(ref("Me")), **errors("401")},
        }
    },
    "/agencies": {
        "get": {
            "summary": "Agencies with their published article counts",
            "security": [{}, {"bearer": []}],
            "responses": {
                "200": json_response({"type": "object", "properties": {"items": {"type": "array", "items": ref("Agency")}}}),
                **errors("401"),
            },
        }
    },
}

def extend(app, paths: dict, schemas: dict | None = None) -> None:
    """Add a capability's paths and schemas to this app's document (call from its init_app)."""
    app.extensions.setdefault("exchange.openapi", []).append((paths, schemas or {}))


def document() -> dict:
    """The whole OpenAPI document."""
    from flask import current_app

    paths, schemas = dict(PATHS), dict(SCHEMAS)
    for more_paths, more_schemas in current_app.extensions.get("exchange.openapi", []):
        paths.update(more_paths)
        schemas.update(more_schemas)
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
