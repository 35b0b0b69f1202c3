"""The challenge rows of the API: list, ask, read, edit; answers; "this helped us"; "same problem"."""
from flask import g, jsonify, request, url_for

from exchange.accounts.services import get_agency
from exchange.api import bp, openapi, paginated, read_json, require_api_user
from exchange.articles import rules as article_rules
from exchange.articles.queries import get_tag
from exchange.challenges import services
from exchange.challenges.models import PUBLIC, STATUSES
from exchange.community.api import comment_json
from exchange.community.routes import limit_comments
from exchange.endorsements.services import OUTCOME_MAX, STORY_FIELDS
from exchange.errors import Invalid
from exchange.pagination import ListArgs
from exchange.templating import isodate


def _text(data: dict, *names: str) -> None:
    for name in names:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise Invalid(f"{name} must be text.", {name: "must be text"})


def challenge_json(challenge, viewer=None, answers: bool = True) -> dict:
    """A challenge as the API shows it; ``answers`` lists those the viewer may see."""
    data = {
        "slug": challenge.slug, "title": challenge.title, "problem": challenge.problem, "html": challenge.html,
        "tags": [t.name for t in sorted(challenge.tags, key=lambda t: t.slug)], "status": challenge.status,
        "agency": {"slug": challenge.agency.slug, "name": challenge.agency.name},
        "author": {"name": challenge.author.name},
        "deadline": isodate(challenge.deadline) or None, "outcome": challenge.outcome or None,
        "same_problem": challenge.same_problem_count,
        "created_at": isodate(challenge.created_at), "published_at": isodate(challenge.published_at) or None,
        "url": url_for("challenges.show", slug=challenge.slug, _external=True),
    }
    if answers:
        data["answers"] = [answer_json(a) for a in services.answers_of(viewer, challenge)]
    return data


def answer_json(row) -> dict:
    return {"id": row.id, "practice": {"slug": row.article.slug, "title": row.article.title,
                                       "status": row.article.status},
            "note": row.note, "agency": {"slug": row.agency.slug, "name": row.agency.name},
            "author": {"name": row.author.name}, "created_at": isodate(row.created_at),
            "helped": row.helped, "helped_why": row.helped_why or None, "helped_at": isodate(row.helped_at) or None}


@bp.get("/challenges")
def list_challenges():
    args = ListArgs(request.args)
    filters = {"status": args.choice("status", PUBLIC),
               "tag": args.found("tag", lambda slug: get_tag(g.api_user, slug)),
               "agency": args.found("agency", get_agency)}
    page, per_page = args.page(), args.per_page()
    args.check()
    items, total = services.list_challenges(page=page, per_page=per_page, **filters)
    return paginated({"items": [challenge_json(c, answers=False) for c in items], "total": total, "page": page,
                      "per_page": per_page}, page, per_page, total)


@bp.post("/challenges")
def post_challenge():
    user = require_api_user()
    data = read_json(("title", "problem", "tags", "deadline", "status", "slug"))
    _text(data, "slug")
    challenge = services.post_challenge(user, {k: v for k, v in data.items() if k != "slug"},
                                        slug=data.get("slug"))
    return jsonify(challenge_json(challenge, user)), 201, {"Location": f"/api/v1/challenges/{challenge.slug}"}


@bp.get("/challenges/<slug>")
def get_challenge(slug):
    return jsonify(challenge_json(services.get_challenge(g.api_user, slug), g.api_user))


@bp.patch("/challenges/<slug>")
def patch_challenge(slug):
    user = require_api_user()
    data = read_json(services.WRITABLE + ("outcome",))
    challenge = services.get_challenge(user, slug)
    if data.get("status") == "closed":
        services.close(user, challenge, data.get("outcome"))
        data = {k: v for k, v in data.items() if k not in ("status", "outcome")}
    elif data.get("outcome") not in (None, ""):
        raise Invalid("outcome is sent with status: closed.", {"outcome": "only when closing"})
    data.pop("outcome", None)
    if data or challenge.status != "closed":
        services.update_challenge(user, challenge, data)
    return jsonify(challenge_json(challenge, user))


@bp.post("/challenges/<slug>/answers")
def post_answer(slug):
    user = require_api_user()
    data = read_json(("practice", "note", "draft_title"))
    _text(data, "practice", "note", "draft_title")
    challenge = services.get_challenge(user, slug)
    row = services.answer(user, challenge, data.get("practice"), data.get("note") or "", data.get("draft_title"))
    return jsonify(answer_json(row)), 201


@bp.put("/challenges/<slug>/answers/<int:answer_id>/helped")
def put_helped(slug, answer_id):
    user = require_api_user()
    data = read_json(("why", "adopt", *STORY_FIELDS))
    challenge = services.get_challenge(user, slug)
    story = {key: data[key] for key in STORY_FIELDS if key in data}
    row = services.mark_helped(user, services.get_answer(user, challenge, answer_id), data.get("why"),
                               data.get("adopt", False), story)
    return jsonify(answer_json(row))


@bp.delete("/challenges/<slug>/answers/<int:answer_id>/helped")
def delete_helped(slug, answer_id):
    user = require_api_user()
    challenge = services.get_challenge(user, slug)
    services.unmark_helped(user, services.get_answer(user, challenge, answer_id))
    return "", 204


@bp.put("/challenges/<slug>/same-problem")
def put_same_problem(slug):
    user = require_api_user()
    challenge = services.get_challenge(user, slug)
    services.same_problem(user, challenge)
    return jsonify({"same_problem": challenge.same_problem_count})


@bp.delete("/challenges/<slug>/same-problem")
def delete_same_problem(slug):
    user = require_api_user()
    services.withdraw_same_problem(user, services.get_challenge(user, slug))
    return "", 204


_REF = {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}}
_ANSWER = {"type": "object", "properties": {
    "id": {"type": "integer"}, "note": {"type": "string"}, "agency": _REF,
    "practice": {"type": "object", "properties": {"slug": {"type": "string"}, "title": {"type": "string"},
                                                  "status": {"type": "string"}}},
    "author": {"type": "object", "properties": {"name": {"type": "string"}}},
    "created_at": {"type": "string", "format": "date-time"}, "helped": {"type": "boolean"},
    "helped_why": {"type": ["string", "null"]}, "helped_at": {"type": ["string", "null"], "format": "date-time"}}}
_DATE = {"type": ["string", "null"], "pattern": r"^(\d{4}-\d{2}-\d{2})?$",
         "description": "a date like 2027-03-31, not in the past; empty or null: none"}
_TAGS = {"type": ["array", "string", "null"], "maxItems": 8,
         "items": {"type": "string", "maxLength": 40, "pattern": openapi.NO_NUL_PATTERN},
         "pattern": openapi.NO_NUL_PATTERN, "description": "topic names (a list or one string with commas)"}
_FIELDS = {
    "title": {"type": "string", "minLength": 3, "maxLength": 200, "pattern": openapi.visible_pattern(3)},
    "problem": {"type": "string", "minLength": 1, "pattern": openapi.VISIBLE_PATTERN,
                "description": "Markdown: who is affected, what was tried, constraints, what a good answer "
                               "looks like; at most 50 KB"},
    "tags": _TAGS, "deadline": _DATE,
}
SCHEMAS = {
    "Challenge": {"type": "object", "properties": {
        "slug": {"type": "string"}, "title": {"type": "string"}, "problem": {"type": "string"},
        "html": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
        "status": {"type": "string", "enum": list(STATUSES)}, "agency": _REF,
        "author": {"type": "object", "properties": {"name": {"type": "string"}}},
        "deadline": {"type": ["string", "null"], "format": "date"}, "outcome": {"type": ["string", "null"]},
        "same_problem": {"type": "integer", "description": "how many other agencies have this problem too"},
        "created_at": {"type": "string"}, "published_at": {"type": ["string", "null"]}, "url": {"type": "string"},
        "answers": {"type": "array", "items": _ANSWER}}},
    "ChallengeAnswer": _ANSWER,
    "ChallengeCommentInput": {"type": "object", "required": ["body"], "additionalProperties": False, "properties": {
        "body": {"type": "string", "pattern": openapi.VISIBLE_PATTERN,
                 "description": "Markdown, at most 10 KB; the house rules of comments apply"}}},
    "ChallengeInput": {"type": "object", "required": ["title", "problem"], "additionalProperties": False,
                       "properties": {**_FIELDS, "slug": {
                           "type": ["string", "null"], "maxLength": article_rules.MAX_SLUG_LENGTH,
                           "anyOf": [{"type": "null"}, {"const": ""},
                                     {"type": "string", "pattern": openapi.SLUG_PATTERN,
                                      "not": {"enum": sorted(article_rules.RESERVED_SLUGS)}}],
                           "description": "empty or null: made from the title; otherwise lowercase words joined "
                                          "by single hyphens, not a route word"},
                                      "status": {"type": ["string", "null"], "enum": ["draft", "open", "", None],
                                                 "description": "empty or null: draft"}}},
    "ChallengeEdit": {"type": "object", "required": [], "additionalProperties": False, "properties": {
        **_FIELDS, "status": {"type": ["string", "null"], "enum": [*STATUSES, "", None],
                              "description": "open: publish a draft; closed: close it, with outcome"},
        "outcome": {"type": ["string", "null"], "pattern": openapi.NO_NUL_PATTERN,
                    "description": "what we did in the end (with status: closed)"}}},
    "AnswerInput": {"type": "object", "required": [], "additionalProperties": False,
                    "description": "practice (with a note), or draft_title", "properties": {
        "practice": {"type": ["string", "null"], "pattern": openapi.NO_NUL_PATTERN,
                     "description": "the slug of a published practice"},
        "note": {"type": ["string", "null"], "maxLength": services.MAX_NOTE, "pattern": openapi.NO_NUL_PATTERN,
                 "description": "how it applies to the challenge"},
        "draft_title": {"type": ["string", "null"], "pattern": openapi.NO_NUL_PATTERN,
                        "description": "instead of practice: start a new case-study draft with this title"}}},
    "HelpedInput": {"type": "object", "required": ["why"], "additionalProperties": False, "properties": {
        "why": {"type": "string", "minLength": 1, "maxLength": services.MAX_WHY, "pattern": openapi.VISIBLE_PATTERN},
        "adopt": {"type": "boolean", "description": "also record your agency's adoption of the practice"},
        # The adoption story, as in EndorsementInput: only with adopt true.
        "adopted_on": {"type": ["string", "null"],
                       "anyOf": [{"type": "null"}, {"const": ""}, {"type": "string", "format": "date"}],
                       "description": "with adopt: when your agency adopted it; not in the future"},
        "status": {"type": ["string", "null"], "enum": ["piloting", "in_use", "stopped", None],
                   "description": "with adopt: how the adoption is going"},
        "outcome": {"type": ["string", "null"], "maxLength": OUTCOME_MAX, "pattern": openapi.NO_NUL_PATTERN,
                    "description": "with adopt: the outcome in a sentence"}},
        "if": {"not": {"properties": {"adopt": {"const": True}}, "required": ["adopt"]}},
        "then": {"properties": {"adopted_on": {"enum": [None, ""]}, "status": {"const": None},
                                "outcome": {"enum": [None, ""]}}}},
}
_SLUG = [openapi.path_param("slug")]
@bp.get("/challenges/<slug>/comments")
def list_challenge_comments(slug):
    challenge = services.get_challenge(g.api_user, slug)
    entries = services.comments_of(g.api_user, challenge)
    return jsonify({"items": [comment_json(e.comment, e.full) for e in entries],
                    "total": sum(e.full for e in entries)})


@bp.post("/challenges/<slug>/comments")
@limit_comments
def add_challenge_comment(slug):
    user = require_api_user()
    data = read_json(("body",))
    if not isinstance(data.get("body"), str):
        raise Invalid("body is required: the comment's text in Markdown.", {"body": "required, a string"})
    row = services.comment(user, services.get_challenge(user, slug), data["body"])
    return jsonify(comment_json(row)), 201, {"Location": f"/api/v1/comments/{row.id}"}


_ANSWER_ID = [openapi.path_param("slug"), openapi.id_param("answer_id")]
_PUBLIC = [{}, {"bearer": []}]


def _comment_link(operation_id: str) -> dict:
    return {"operationId": operation_id, "parameters": {"comment_id": "$response.body#/id"}}


def _body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": openapi.ref(schema)}}}


PATHS = {
    "/challenges": {
        "get": {"summary": "Public challenges: open first (most agencies with the same problem first), then "
                           "answered, then closed", "security": _PUBLIC,
                "parameters": [openapi.query_param("status", {"type": "string", "enum": list(PUBLIC)}),
                               openapi.query_param("tag", {"type": "string", "pattern": openapi.SLUG_FILTER_PATTERN}),
                               openapi.query_param("agency", {"type": "string",
                                                              "pattern": openapi.SLUG_FILTER_PATTERN}),
                               *openapi.page_params()],
                "responses": {"200": openapi.paginated_response({"type": "object", "properties": {
                    "items": {"type": "array", "items": openapi.ref("Challenge")}, "total": {"type": "integer"},
                    "page": {"type": "integer"}, "per_page": {"type": "integer"}}}), **openapi.errors("422")}},
        "post": {"summary": "Ask a challenge for your agency (a draft, or status open)",
                 "requestBody": _body("ChallengeInput"),
                 "responses": {"201": openapi.json_response(openapi.ref("Challenge"), "Created"),
                               **openapi.errors("401", "403", "409", "413", "422")}},
    },
    "/challenges/{slug}": {
        "get": {"summary": "A challenge with the answers you may see", "security": _PUBLIC, "parameters": _SLUG,
                "responses": {"200": openapi.json_response(openapi.ref("Challenge")), **openapi.errors("404")}},
        "patch": {"summary": "Edit, publish (status open) or close (status closed with outcome) your agency's "
                             "challenge", "parameters": _SLUG, "requestBody": _body("ChallengeEdit"),
                  "responses": {"200": openapi.json_response(openapi.ref("Challenge")),
                                **openapi.errors("401", "403", "404", "409", "413", "422")}},
    },
    "/challenges/{slug}/comments": {
        "get": {"summary": "The plain comments under a challenge, oldest first (no replies)", "security": _PUBLIC,
                "parameters": _SLUG,
                "responses": {"200": openapi.json_response({"type": "object", "properties": {
                    "items": {"type": "array", "items": openapi.ref("Comment")},
                    "total": {"type": "integer"}}}), **openapi.errors("404")}},
        "post": {"summary": "Comment under a challenge (on a draft: the asking agency only); the house rules and "
                            "holds of article comments apply, 422 gives the rule's reason, 409 a repeat",
                 "parameters": _SLUG, "requestBody": _body("ChallengeCommentInput"),
                 "responses": {"201": {**openapi.json_response(openapi.ref("Comment"), "Created"), "links": {
                     "GetComment": _comment_link("getComment"), "EditComment": _comment_link("editComment"),
                     "DeleteComment": _comment_link("deleteComment")}},
                               **openapi.errors("401", "403", "404", "409", "413", "422", "429")}},
    },
    "/challenges/{slug}/answers": {
        "post": {"summary": "Answer with a published practice (practice, note), or start a case-study draft "
                            "(draft_title); one answer per practice", "parameters": _SLUG,
                 "requestBody": _body("AnswerInput"),
                 "responses": {"201": openapi.json_response(openapi.ref("ChallengeAnswer"), "Created"),
                               **openapi.errors("401", "403", "404", "409", "413", "422")}},
    },
    "/challenges/{slug}/answers/{answer_id}/helped": {
        "put": {"summary": "The asking agency: this helped us (why), optionally recording an adoption",
                "parameters": _ANSWER_ID, "requestBody": _body("HelpedInput"),
                "responses": {"200": openapi.json_response(openapi.ref("ChallengeAnswer")),
                              **openapi.errors("401", "403", "404", "409", "422")}},
        "delete": {"summary": "Take back \u201cthis helped us\u201d", "parameters": _ANSWER_ID,
                   "responses": {"204": {"description": "Taken back"}, **openapi.errors("401", "403", "404")}},
    },
    "/challenges/{slug}/same-problem": {
        "put": {"summary": "We have this problem too (once per agency; 409 the second time)", "parameters": _SLUG,
                "responses": {"200": openapi.json_response({"type": "object", "properties": {
                    "same_problem": {"type": "integer"}}}), **openapi.errors("401", "403", "404", "409")}},
        "delete": {"summary": "Take back your agency's \u201csame problem\u201d", "parameters": _SLUG,
                   "responses": {"204": {"description": "Taken back (or there was none)"},
                                 **openapi.errors("401", "404")}},
    },
}
