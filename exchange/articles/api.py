"""The article rows of the API: list, create, read, edit, revisions; tags and agencies with counts."""
from flask import current_app, g, jsonify, request, url_for

from exchange.accounts import places
from exchange.accounts.api import agency_json
from exchange.accounts.services import get_agency
from exchange.api import bp, check_if_match, openapi, paginated, read_json, require_api_user
from exchange.articles import autosave, links, queries, rules, services
from exchange.articles.models import KINDS
from exchange.articles.starters import STARTERS
from exchange.db import MAX_INT
from exchange.errors import Invalid, NotFound
from exchange.pagination import ListArgs
from exchange.templating import isodate

LIST_SORTS = ("top", "trending", "new", "updated")
WRITABLE = ("title", "kind", "summary", "body", "tags", "status", "evidence_level", "stage", "edit_policy", "review_by",
            "based_on")


def _json_body(*more: str) -> dict:
    data = read_json(WRITABLE + ("change_note",) + more)
    if data.get("change_note") is not None and not isinstance(data["change_note"], str):
        raise Invalid("change_note must be text.", {"change_note": "must be text"})
    return data


@bp.get("/articles")
def list_articles():
    args = ListArgs(request.args)
    filters = {"kind": args.choice("kind", KINDS),
               "tag": args.found("tag", lambda slug: queries.get_tag(g.api_user, slug)),
               "agency": args.found("agency", get_agency),
               "country": places.country_filter(args), "level": places.level_filter(args)}
    sort = args.choice("sort", LIST_SORTS, "new")
    page, per_page = args.page(), args.per_page()
    args.check()
    found = queries.list_articles(sort=sort, page=page, per_page=per_page,
                                  **{name: value for name, value in filters.items() if value is not None})
    return paginated({"items": [article_json(a, body=False) for a in found.items], "total": found.total,
                      "page": found.page, "per_page": found.per_page}, found.page, found.per_page, found.total)


@bp.post("/articles")
def create_article():
    user = require_api_user()
    fields = _json_body("slug")
    article = services.create_article(user, fields, slug=fields.pop("slug", None))
    return jsonify(article_json(article)), 201, {"Location": f"/api/v1/articles/{article.slug}"}


@bp.get("/articles/<slug>")
def get_article(slug):
    return jsonify(article_json(services.get_article(g.api_user, slug)))


@bp.patch("/articles/<slug>")
def patch_article(slug):
    user = require_api_user()
    data = _json_body("base_revision", "archive_reason")
    reason = _archive_reason(data)
    article = services.get_article(user, slug)
    if check_if_match(article_json(article)):
        data.setdefault("base_revision", article.revision)
    _require_reason(user, article, data, reason)
    if "base_revision" not in data:
        raise Invalid("base_revision is required (or If-Match): the revision your edit started from.",
                      {"base_revision": "required"})
    fields = {k: v for k, v in data.items() if k in WRITABLE}
    article = services.update_article(user, article, fields, data["base_revision"], data.get("change_note") or "",
                                      archive_reason=reason)
    return jsonify(article_json(article))


def _archive_reason(data: dict) -> str | None:
    """Why the article is withdrawn: required with ``status: archived``, checked whenever it is sent."""
    reason = data.get("archive_reason")
    if reason is not None and not isinstance(reason, str):
        raise Invalid("archive_reason must be text.", {"archive_reason": "must be text"})
    reason = rules.clean_line(reason or "", "archive_reason", max_len=rules.MAX_REASON_LENGTH)
    return reason if data.get("status") == "archived" else None


def _require_reason(user, article, data: dict, reason: str | None) -> None:
    """``status: archived`` needs ``archive_reason``, as the document's if/then says (who may not
    change the status at all is told that first)."""
    if data.get("status") == "archived" and not reason:
        services.require_status_change(user, article)
        raise Invalid("Say why you are withdrawing this practice: readers will see it on the page.",
                      {"archive_reason": "required with status archived"})


@bp.put("/articles/<slug>/draft")
def save_working_copy(slug):
    user = require_api_user()
    article = services.get_article(user, slug)
    data = read_json(("title", "summary", "body", "tags", "base_revision"))
    return jsonify(working_copy_json(autosave.save_working_copy(user, article, data), article))


@bp.get("/articles/<slug>/draft")
def get_working_copy(slug):
    user = require_api_user()
    article = services.get_article(user, slug)
    copy = autosave.working_copy(user, article)
    if copy is None:
        raise NotFound("You have no autosaved working copy of this article.")
    return jsonify(working_copy_json(copy, article))


@bp.delete("/articles/<slug>/draft")
def discard_working_copy(slug):
    user = require_api_user()
    article = services.get_article(user, slug)
    autosave.discard_working_copy(user, article)
    return "", 204


def working_copy_json(copy, article) -> dict:
    """A working copy as its writer sees it, with whether the article moved on since it was started."""
    return {"slug": article.slug, "base_revision": copy.base_revision, "current_revision": article.revision,
            "conflict": copy.base_revision != article.revision, "title": copy.title, "summary": copy.summary,
            "body": copy.body, "tags": copy.tags, "saved_at": isodate(copy.saved_at)}


@bp.post("/preview")
def preview():
    """The HTML a body renders to, stored nowhere (the edit form's live preview)."""
    require_api_user()
    data = read_json(("body",))
    if "body" not in data:
        raise Invalid("Send the body to preview.", {"body": "required"})
    body = rules.clean_body("" if data["body"] is None else data["body"])
    return jsonify({"html": links.render_preview(body)})


@bp.get("/templates/<kind>")
def template(kind):
    """The Markdown a new article of this kind starts from (the form's template)."""
    if kind not in STARTERS:
        raise NotFound(f"There is no template for “{kind[:40]}”: the kinds are {', '.join(STARTERS)}.")
    return jsonify({"kind": kind, "body": STARTERS[kind]})


@bp.get("/articles/<slug>/revisions")
def revisions(slug):
    article = services.get_article(g.api_user, slug)
    return jsonify({"items": [revision_json(r) for r in services.list_revisions(g.api_user, article)]})


@bp.get("/tags")
def tags():
    return jsonify({"items": [tag_json(t, n) for t, n in queries.tags_with_counts(g.api_user)]})


@bp.get("/agencies")
def agencies():
    return jsonify({"items": [agency_json(a, n) for a, n in queries.agencies_with_counts()]})


# tags as one string: at most MAX_TAGS names between commas, each at most MAX_TAG_LENGTH long, no NUL
TAGS_TEXT_PATTERN = (rf"^[^,\x00]{{0,{rules.MAX_TAG_LENGTH}}}"
                     rf"(,[^,\x00]{{0,{rules.MAX_TAG_LENGTH}}}){{0,{rules.MAX_TAGS - 1}}}$")

ARTICLE_INPUT = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 3, "maxLength": 200, "pattern": openapi.visible_pattern(3)},
        "kind": {"type": "string", "enum": ["case_study", "playbook"]},
        "summary": {"type": "string", "minLength": 1, "maxLength": 400, "pattern": openapi.VISIBLE_PATTERN},
        "body": {"type": ["string", "null"], "pattern": openapi.NO_NUL_PATTERN,
                 "description": "Markdown, at most 100 KB; null: empty"},
        "tags": {"type": ["array", "string", "null"], "maxItems": rules.MAX_TAGS, "pattern": TAGS_TEXT_PATTERN,
                 "items": {"type": "string", "maxLength": rules.MAX_TAG_LENGTH, "pattern": openapi.NO_NUL_PATTERN},
                 "description": "a list of names, or one string of names separated by commas (null: none); at most 8"},
        "status": {"type": ["string", "null"], "enum": ["draft", "published", "archived", "", None],
                   "description": "empty or null: draft. Publishing refuses (422, fields.body naming them) a body "
                   "whose template sections are empty or still hold the template's text (GET /templates/{kind})"},
        "evidence_level": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"enum": [0, "", None]}],
                           "description": "1 to 5; 0, empty or null: none"},
        "stage": {"type": ["string", "null"], "enum": ["idea", "pilot", "implemented", "scaled", "retired", "", None],
                  "description": "empty or null: none"},
        "edit_policy": {"type": "string", "enum": ["agency", "open"]},
        "review_by": {"anyOf": [{"type": "string", "format": "date"}, {"enum": ["", None]}],
                      "description": "a date like 2027-03-31; empty or null: none"},
        "change_note": {"type": ["string", "null"], "maxLength": 300, "pattern": openapi.NO_NUL_PATTERN,
                        "description": "why: shown in the history"},
        "based_on": {"type": ["string", "null"], "maxLength": rules.MAX_SLUG_LENGTH + 10,
                     "pattern": openapi.NO_NUL_PATTERN,
                     "description": "the slug of the published practice this one adapts; empty or null: none. "
                     "A draft or the article itself is refused (422)"},
    },
    "required": ["title", "kind", "summary"],
    "additionalProperties": False,
}

def tag_json(tag, article_count: int | None = None) -> dict:
    data = {"slug": tag.slug, "name": tag.name}
    if article_count is not None:
        data["article_count"] = article_count
    return data


def article_json(article, body: bool = True) -> dict:
    """An article as the API shows it (DESIGN.md section 7)."""
    featured = current_app.extensions.get("exchange.is_featured", lambda _article: False)
    data = {
        "slug": article.slug,
        "title": article.title,
        "kind": article.kind,
        "summary": article.summary,
        "tags": article.tag_names,
        "agency": {"slug": article.agency.slug, "name": article.agency.name},
        "author": {"name": article.author.name},
        "status": article.status,
        "edit_policy": article.edit_policy,
        "evidence_level": article.evidence_level,
        "stage": article.stage,
        "revision": article.revision,
        "created_at": isodate(article.created_at),
        "updated_at": isodate(article.updated_at),
        "published_at": isodate(article.published_at) or None,
        "review_by": isodate(article.review_by) or None,
        "withdrawn": _withdrawn(article),
        "based_on": _based_on(article),
        "url": url_for("articles.show", slug=article.slug),
        "featured": featured(article),
        "endorsements": {
            "count": article.endorsement_count,
            "adoptions": article.adoption_count,
            "agencies": article.agency_count,
            "score": round(article.score, 4),
        },
    }
    if body:
        data["body"] = article.body
        data["html"] = article.html
    return data


def _based_on(article) -> dict | None:
    """The practice this one adapts, while it is not a draft (a draft is nobody's original)."""
    original = article.based_on
    if original is None or original.status == "draft":
        return None
    return {"slug": original.slug, "title": original.title}


def _withdrawn(article) -> dict | None:
    if article.status != "archived":
        return None
    return {"by": article.archived_by.name if article.archived_by else None,
            "at": isodate(article.archived_at) or None, "reason": article.archive_reason}


def revision_json(revision) -> dict:
    return {
        "number": revision.number,
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "tags": revision.tags,
        **revision.meta,
        "author": {"id": revision.author.id, "name": revision.author.name},
        "change_note": revision.change_note,
        "created_at": isodate(revision.created_at),
    }

SCHEMAS = {
    "Article": {
        "type": "object",
        "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"}, "kind": {"type": "string"},
            "summary": {"type": "string"}, "body": {"type": "string"}, "html": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "agency": openapi.ref("AgencyRef"),
            "author": {"type": "object", "properties": {"name": {"type": "string"}}},
            "status": {"type": "string"}, "edit_policy": {"type": "string"},
            "evidence_level": {"type": ["integer", "null"]}, "stage": {"type": ["string", "null"]},
            "revision": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "review_by": {"type": ["string", "null"], "format": "date"},
            "withdrawn": {"type": ["object", "null"], "description": "who withdrew it, when and why (archived)",
                          "properties": {"by": {"type": ["string", "null"]},
                                         "at": {"type": ["string", "null"], "format": "date-time"},
                                         "reason": {"type": "string"}}},
            "based_on": {"type": ["object", "null"], "description": "the practice this one adapts",
                         "properties": {"slug": {"type": "string"}, "title": {"type": "string"}}},
            "url": {"type": "string"}, "featured": {"type": "boolean"},
            "endorsements": {"type": "object", "properties": {
                "count": {"type": "integer"}, "adoptions": {"type": "integer"},
                "agencies": {"type": "integer"}, "score": {"type": "number"}}},
        },
    },
    "ArticleInput": {**ARTICLE_INPUT, "properties": {**ARTICLE_INPUT["properties"], "slug": {
        "type": "string", "maxLength": rules.MAX_SLUG_LENGTH,
        "anyOf": [{"const": ""}, {"pattern": openapi.SLUG_PATTERN, "not": {"enum": sorted(rules.RESERVED_SLUGS)}}],
        "description": "Empty or absent: made from the title. Otherwise lowercase words joined by single hyphens, "
        "not a route word. A draft's "
        "address stays private (the slug, '--', a random part) until it is first published or archived."}}},
    "ArticlePatch": {**ARTICLE_INPUT, "required": ["base_revision"], "properties": {
        **ARTICLE_INPUT["properties"], "base_revision": {
            "type": "integer", "minimum": 1, "maximum": MAX_INT,
            "description": "the revision the edit started from (or send If-Match)"},
        "archive_reason": {"type": ["string", "null"], "maxLength": rules.MAX_REASON_LENGTH,
                           "pattern": openapi.NO_NUL_PATTERN,
                           "description": "why it is withdrawn, shown in its banner: required (not empty) with "
                           "status archived; kept as it was when the article is archived already"}},
        # status archived requires archive_reason (some visible text)
        "if": {"required": ["status"], "properties": {"status": {"const": "archived"}}},
        "then": {"required": ["archive_reason"],
                 "properties": {"archive_reason": {"type": "string", "pattern": openapi.VISIBLE_PATTERN}}}},
    "WorkingCopyInput": {"type": "object", "required": ["base_revision"], "additionalProperties": False,
                         "properties": {
        "base_revision": {"type": "integer", "minimum": 1, "maximum": MAX_INT,
                          "description": "the revision the edit started from (at most the article's revision)"},
        "title": {"type": ["string", "null"], "maxLength": 200, "pattern": openapi.NO_NUL_PATTERN},
        "summary": {"type": ["string", "null"], "maxLength": 400, "pattern": openapi.NO_NUL_PATTERN},
        "body": {"type": ["string", "null"], "pattern": openapi.NO_NUL_PATTERN, "description": "at most 100 KB"},
        "tags": {"type": ["string", "null"], "maxLength": autosave.MAX_TAGS_TEXT, "pattern": openapi.NO_NUL_PATTERN,
                 "description": "as typed: names separated by commas"}}},
    "WorkingCopy": {"type": "object", "required": ["slug", "base_revision", "current_revision", "conflict"],
                    "properties": {
        "slug": {"type": "string"}, "base_revision": {"type": "integer"}, "current_revision": {"type": "integer"},
        "conflict": {"type": "boolean", "description": "the article has a newer revision than the copy started from"},
        "title": {"type": "string"}, "summary": {"type": "string"}, "body": {"type": "string"},
        "tags": {"type": "string"}, "saved_at": {"type": "string", "format": "date-time"}}},
    "PreviewInput": {"type": "object", "required": ["body"], "additionalProperties": False, "properties": {
        "body": {"type": ["string", "null"], "pattern": openapi.NO_NUL_PATTERN,
                 "description": "Markdown, at most 100 KB"}}},
    "Template": {"type": "object", "required": ["kind", "body"], "properties": {
        "kind": {"type": "string", "enum": sorted(STARTERS)}, "body": {"type": "string"}}},
    "Revision": {"type": "object", "properties": {
        "number": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
        "body": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
        "author": {"type": "object"}, "change_note": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"}}},
    "Tag": {"type": "object", "properties": {
        "slug": {"type": "string"}, "name": {"type": "string"}, "article_count": {"type": "integer"}}},
}


def _list_of(name: str) -> dict:
    return {"type": "object", "properties": {"items": {"type": "array", "items": openapi.ref(name)}}}


_SLUG = [openapi.path_param("slug")]


def _slug_link(operation_id: str) -> dict:
    """The article just written, by its address (OpenAPI links, which Schemathesis's stateful run follows)."""
    return {"operationId": operation_id, "parameters": {"slug": "$response.body#/slug"}}


_PUBLIC = [{}, {"bearer": []}]
PATHS = {
    "/agencies": {
        "get": {
            "summary": "Agencies with their published article counts",
            "security": [{}, {"bearer": []}],
            "responses": {
                "200": openapi.json_response(
                    {"type": "object", "properties": {"items": {"type": "array", "items": openapi.ref("Agency")}}}),
                **openapi.errors("401"),
            },
        }
    },
    "/articles": {
        "get": {"summary": "Published articles", "security": _PUBLIC, "parameters": [
            openapi.query_param("sort", {"type": "string", "enum": ["top", "trending", "new", "updated"]}),
            openapi.query_param("kind", {"type": "string", "enum": ["case_study", "playbook"]}),
            openapi.query_param("tag", {"type": "string", "pattern": openapi.SLUG_FILTER_PATTERN},
                                "A topic's slug; one no published article has is a 422"),
            openapi.query_param("agency", {"type": "string", "pattern": openapi.SLUG_FILTER_PATTERN},
                                "An agency's slug; an unknown one is a 422"),
            *openapi.place_params(),
            *openapi.page_params()],
            "responses": {"200": openapi.paginated_response({"type": "object", "properties": {
                "items": {"type": "array", "items": openapi.ref("Article")}, "total": {"type": "integer"},
                "page": {"type": "integer"}, "per_page": {"type": "integer"}}}), **openapi.errors("422")}},
        "post": {"summary": "Write an article", "requestBody": {"required": True, "content": {
            "application/json": {"schema": openapi.ref("ArticleInput")}}},
            "responses": {"201": {**openapi.json_response(openapi.ref("Article"), "Created"), "links": {
                "GetArticle": _slug_link("getArticle"), "EditArticle": _slug_link("editArticle"),
                "ArticleHistory": _slug_link("articleRevisions")}},
                          **openapi.errors("401", "403", "409", "413", "422")}},
    },
    "/articles/{slug}": {
        "get": {"summary": "One article", "operationId": "getArticle", "security": _PUBLIC, "parameters": _SLUG,
                "responses": {"200": openapi.json_response(openapi.ref("Article")), **openapi.errors("404")}},
        "patch": {"summary": "Edit an article on top of base_revision (or of the version If-Match names)",
                  "operationId": "editArticle",
                  "parameters": [*_SLUG, openapi.IF_MATCH],
                  "requestBody": {"required": True,
                                  "content": {"application/json": {"schema": openapi.ref("ArticlePatch")}}},
                  "responses": {"200": openapi.json_response(openapi.ref("Article")),
                                **openapi.errors("401", "403", "404", "409", "412", "413", "422")}},
    },
    "/articles/{slug}/draft": {
        "put": {"summary": "Autosave your edit of a published (or withdrawn) article as your private working copy; "
                "a draft autosaves with PATCH instead (409 here)", "operationId": "saveWorkingCopy",
                "parameters": _SLUG, "requestBody": {"required": True, "content": {
                    "application/json": {"schema": openapi.ref("WorkingCopyInput")}}},
                "responses": {"200": openapi.json_response(openapi.ref("WorkingCopy")),
                              **openapi.errors("401", "403", "404", "409", "413", "422")}},
        "get": {"summary": "Your autosaved working copy of this article (404: none)", "parameters": _SLUG,
                "responses": {"200": openapi.json_response(openapi.ref("WorkingCopy")),
                              **openapi.errors("401", "404")}},
        "delete": {"summary": "Discard your working copy", "parameters": _SLUG,
                   "responses": {"204": {"description": "Discarded (or there was none)"},
                                 **openapi.errors("401", "404")}},
    },
    "/preview": {"post": {
        "summary": "Render Markdown as an article body would be, storing nothing (the live preview)",
        "requestBody": {"required": True, "content": {"application/json": {"schema": openapi.ref("PreviewInput")}}},
        "responses": {"200": openapi.json_response({"type": "object", "required": ["html"],
                                                    "properties": {"html": {"type": "string"}}}),
                      **openapi.errors("401", "413", "422")}}},
    "/articles/{slug}/revisions": {
        "get": {"summary": "History, newest first", "operationId": "articleRevisions", "security": _PUBLIC,
                "parameters": _SLUG,
                "responses": {"200": openapi.json_response(_list_of("Revision")), **openapi.errors("404")}},
    },
    "/templates/{kind}": {"get": {
        "summary": "The Markdown template a new article of this kind starts from", "security": _PUBLIC,
        "parameters": [{"name": "kind", "in": "path", "required": True,
                        "schema": {"type": "string", "enum": sorted(STARTERS)}}],
        "responses": {"200": openapi.json_response(openapi.ref("Template")), **openapi.errors("404")}}},
    "/tags": {"get": {"summary": "Topics with published article counts", "security": _PUBLIC,
                      "responses": {"200": openapi.json_response(_list_of("Tag"))}}},
}

