"""What API answers share: ETags and 304s for every reader, If-Match for edits, links between pages."""
from flask import jsonify, request, url_for
from werkzeug.http import generate_etag

from exchange.errors import PreconditionFailed


def conditional(response):
    """The API blueprint's ``after_request``: a weak ETag of the JSON on every GET, 304 on a match.

    Answers depend on the token (drafts, "yours"), so they vary on Authorization, and a token's
    answers are private to it.
    """
    response.vary.add("Authorization")
    if "Authorization" in request.headers:
        response.headers.setdefault("Cache-Control", "private, no-cache")
    else:
        response.headers.setdefault("Cache-Control", "no-cache")
    if request.method in ("GET", "HEAD") and response.status_code == 200 and response.is_json:
        response.add_etag(weak=True)
        return response.make_conditional(request)
    return response


def etag_of(data: dict) -> str:
    """The ETag a GET of ``data`` carries (as ``conditional`` makes it)."""
    return generate_etag(jsonify(data).get_data())


def check_if_match(current: dict) -> bool:
    """Whether If-Match names ``current``'s version; 412 when it names another.

    ``If-Match: *`` holds for anything that exists but names no version, so it is not one: an edit
    sent with it still needs its ``base_revision`` (else it would overwrite whatever came between).
    """
    if not request.if_match or request.if_match.star_tag:
        return False
    if request.if_match.contains_weak(etag_of(current)):
        return True
    raise PreconditionFailed("It changed since you read it: If-Match does not name its current ETag. "
                             "GET it again and redo your edit on top.")


def paginated(body: dict, page: int, per_page: int, total: int):
    """``body`` as JSON with ``next`` and ``prev`` (URLs or null) and the same as a Link header."""
    pages = max(1, -(-total // per_page))
    links = {"next": _page_url(page + 1) if page < pages else None,
             "prev": _page_url(min(page - 1, pages)) if page > 1 else None}
    response = jsonify({**body, **links})
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    if header:
        response.headers["Link"] = header
    return response


def _page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)
