"""The comment rows of the API: list and add on an article; edit and delete your own."""
from flask import g, jsonify, url_for

from exchange.api import bp, openapi, read_json, require_api_user
from exchange.community import services
from exchange.community.routes import limit_comments
from exchange.errors import Invalid
from exchange.templating import isodate


def _json_body(allowed: tuple[str, ...]) -> dict:
    data = read_json(allowed)
    if "body" in allowed and not isinstance(data.get("body"), str):
        raise Invalid("body is required: the comment's text in Markdown.", {"body": "required, a string"})
    return data


def comment_json(comment, full: bool = True, replies=()) -> dict:
    """A comment as the API shows it; a placeholder (hidden or deleted) carries no author or text."""
    data = {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "status": comment.status,
        "created_at": isodate(comment.created_at),
        "url": url_for(comment.subject_endpoint, slug=comment.subject.slug, _anchor=f"comment-{comment.id}"),
        "author": None, "body": None, "html": None, "edited_at": None,
    }
    if full:
        data.update(author={"id": comment.author.id, "name": comment.author.name,
                            "agency": {"slug": comment.author.agency.slug, "name": comment.author.agency.name}},
                    body=comment.body, html=comment.html, edited_at=isodate(comment.edited_at) or None)
    if comment.parent_id is None:
        data["replies"] = [comment_json(r.comment, r.full) for r in replies]
    return data


@bp.get("/articles/<slug>/comments")
def list_comments(slug):
    article = services.commentable_article(g.api_user, slug)
    entries = services.list_comments(g.api_user, article)
    return jsonify({"items": [comment_json(e.comment, e.full, e.replies) for e in entries],
                    "total": services.count_shown(entries)})


@bp.post("/articles/<slug>/comments")
@limit_comments
def add_comment(slug):
    user = require_api_user()
    data = _json_body(("body", "parent_id"))
    article = services.commentable_article(user, slug)
    comment = services.add_comment(user, article, data["body"], data.get("parent_id"))
    return jsonify(comment_json(comment)), 201, {"Location": f"/api/v1/comments/{comment.id}"}


@bp.get("/comments/<int:comment_id>")
def get_comment(comment_id):
    return jsonify(comment_json(services.get_comment(g.api_user, comment_id)))


@bp.patch("/comments/<int:comment_id>")
def edit_comment(comment_id):
    user = require_api_user()
    data = _json_body(("body",))
    comment = services.edit_comment(user, services.get_comment(user, comment_id), data["body"])
    return jsonify(comment_json(comment))


@bp.delete("/comments/<int:comment_id>")
def delete_comment(comment_id):
    user = require_api_user()
    services.delete_comment(user, services.get_comment(user, comment_id))
    return "", 204


_AUTHOR = {"type": ["object", "null"], "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "agency": openapi.ref("AgencyRef")}}
_COMMENT_PROPERTIES = {
    "id": {"type": "integer"}, "parent_id": {"type": ["integer", "null"]},
    "status": {"type": "string", "enum": ["published", "pending", "hidden", "deleted"],
               "description": "pending: waits for a moderator (its author sees it); hidden or deleted: "
                              "a placeholder without author or text, kept because it has replies"},
    "author": _AUTHOR, "body": {"type": ["string", "null"], "description": "Markdown"},
    "html": {"type": ["string", "null"]}, "url": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "edited_at": {"type": ["string", "null"], "format": "date-time"},
}
SCHEMAS = {
    "Comment": {"type": "object", "properties": {
        **_COMMENT_PROPERTIES,
        "replies": {"type": "array", "items": {"type": "object", "properties": _COMMENT_PROPERTIES}}}},
    "CommentInput": {"type": "object", "required": ["body"], "additionalProperties": False, "properties": {
        "body": {"type": "string", "pattern": openapi.VISIBLE_PATTERN,
                 "description": "Markdown (emphasis, links, lists, code), at most 10 KB. "
                                 "The house rules apply: a comment must add something, "
                                 "at most one link, no blocked domains."},
        "parent_id": {"type": ["integer", "null"], "description": "the comment this answers (one level)"}}},
    "CommentEdit": {"type": "object", "required": ["body"], "additionalProperties": False,
                    "properties": {"body": {"type": "string", "pattern": openapi.VISIBLE_PATTERN,
                                            "description": "Markdown; the house rules apply again"}}},
}
_SLUG = [openapi.path_param("slug")]
_ID = [openapi.id_param("comment_id")]
_PUBLIC = [{}, {"bearer": []}]


def _link(operation_id: str) -> dict:
    """The comment just made, by its id (OpenAPI links, which Schemathesis's stateful run follows)."""
    return {"operationId": operation_id, "parameters": {"comment_id": "$response.body#/id"}}


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": openapi.ref(schema)}}}


PATHS = {
    "/articles/{slug}/comments": {
        "get": {"summary": "The conversation under a published article, oldest first, replies nested",
                "security": _PUBLIC, "parameters": _SLUG,
                "responses": {"200": openapi.json_response({"type": "object", "properties": {
                    "items": {"type": "array", "items": openapi.ref("Comment")},
                    "total": {"type": "integer"}}}), **openapi.errors("404")}},
        "post": {"summary": "Comment (or reply with parent_id); 422 gives the house rule's reason",
                 "parameters": _SLUG, "requestBody": _body("CommentInput"),
                 "responses": {"201": {**openapi.json_response(openapi.ref("Comment"), "Created"), "links": {
                     "GetComment": _link("getComment"), "EditComment": _link("editComment"),
                     "DeleteComment": _link("deleteComment")}},
                               **openapi.errors("401", "403", "404", "409", "413", "422", "429")}},
    },
    "/comments/{comment_id}": {
        "get": {"summary": "One comment", "operationId": "getComment", "security": _PUBLIC, "parameters": _ID,
                "responses": {"200": openapi.json_response(openapi.ref("Comment")), **openapi.errors("404")}},
        "patch": {"summary": "Edit your comment", "operationId": "editComment", "parameters": _ID,
                  "requestBody": _body("CommentEdit"),
                  "responses": {"200": openapi.json_response(openapi.ref("Comment")),
                                **openapi.errors("401", "403", "404", "422")}},
        "delete": {"summary": "Delete your comment", "operationId": "deleteComment", "parameters": _ID,
                   "responses": {"204": {"description": "Deleted"}, **openapi.errors("401", "403", "404")}},
    },
}

