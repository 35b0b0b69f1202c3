"""File pages: fetching a file, uploading from the edit page, importing a Word document; the page parts."""
import sqlalchemy as sa
from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from exchange.api.auth import api_user, authenticate_request
from exchange.articles.models import Article
from exchange.errors import DomainError, Invalid
from exchange.files import services, wordimport
from exchange.files.api import too_large
from exchange.files.forms import ImportForm, UploadForm
from exchange.forms import show_refusal
from exchange.pagecache import shared_section
from exchange.permissions import can_edit

bp = Blueprint("files", __name__)
FORM_ROOM = 256 * 1024  # bytes for the form's other fields around the file
FOREVER = "public, max-age=31536000, immutable"
UPLOAD_PATHS = ("/files/upload", "/articles/import", "/api/v1/files", "/api/v1/imports")


def allow_uploads():
    """Upload routes take bodies up to EXCHANGE_UPLOAD_MAX_MB (and a little for the form); others keep the limit.

    Runs before every other ``before_request`` (``exchange.files.init_app``): the CSRF check reads the form.
    """
    if request.path in UPLOAD_PATHS and request.method == "POST":
        request.max_content_length = services.max_bytes() + FORM_ROOM
        if (request.content_length or 0) > request.max_content_length:
            raise too_large()


@bp.get("/files/<digest>/<name>")
def show(digest, name):
    stored = services.find(_viewer(), digest, name)
    public = services.is_public(stored)
    response = current_app.response_class(services.content(stored), mimetype=stored.content_type)
    disposition = "inline" if stored.kind == "image" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{stored.name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = FOREVER if public else "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not public:
        response.vary.add("Cookie")
    response.set_etag(stored.hash)
    return response.make_conditional(request)


def _viewer():
    """The person asking: by their API token when they send one (API clients fetch files too), else by cookie."""
    if "Authorization" in request.headers:
        authenticate_request()
        return api_user()
    return current_user


def _sent(form) -> tuple[bytes, str]:
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise too_large() from None
    if upload is None or not upload.filename:
        raise Invalid("Choose a file to upload.", {"file": "Choose a file to upload"})
    data = upload.read(services.max_bytes() + 1)
    services.require_small_enough(len(data))
    return data, upload.filename


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/files/upload")
@login_required
def upload():
    form = UploadForm()
    article = request.form.get("article") or None
    try:
        if not form.validate_on_submit():
            raise Invalid("The form expired. Please try again.", {})
        data, name = _sent(form)
        stored = services.upload(current_user, data, name, article)
        markdown = _markdown(stored, form.alt.data)
    except RequestEntityTooLarge:
        return _refused(form, too_large(), article)
    except DomainError as error:
        return _refused(form, error, article)
    if _wants_json():
        return jsonify({"url": stored.url, "markdown": markdown, "name": stored.name, "kind": stored.kind}), 201
    return render_template("files/uploaded.html", stored=stored, markdown=markdown, article=article), 201


def _markdown(stored, alt: str | None) -> str:
    if stored.kind != "image":
        return f"[{stored.name}]({stored.url})"
    alt = " ".join((alt or "").replace("[", "(").replace("]", ")").split())
    return f"![{alt or 'Describe the image'}]({stored.url})"


def _refused(form, error: DomainError, article):
    if _wants_json():
        return jsonify({"error": {"code": error.code, "message": error.message}}), error.status
    show_refusal(form, error)
    return render_template("files/uploaded.html", form=form, stored=None, article=article), error.status


@bp.route("/articles/import", methods=["GET", "POST"])
@login_required
def import_page():
    form, status = ImportForm(), 200
    if request.method == "POST":
        try:
            if not form.validate_on_submit():  # an expired form or a kind not offered: the summary says which
                raise Invalid("Check the form and send it again.", {})
            data, name = _sent(form)
            imported = wordimport.import_docx(current_user, data, name, form.kind.data or "case_study")
        except RequestEntityTooLarge:
            show_refusal(form, too_large())
            status = 413
        except DomainError as error:
            show_refusal(form, error)
            status = error.status
        else:
            flash("Your Word document is now a draft: check it, then publish it. "
                  + " ".join(imported.notes), "success")
            return redirect(url_for("articles.edit", slug=imported.article.slug))
    return render_template("files/import.html", form=form), status


# What files add to other domains' pages ----------------------------------------------------------

def article_parts(article) -> dict:
    """The attachments listed under an article (``attachments_html``: the same for everyone who sees it)."""
    return {"attachments_html": shared_section("files/_attachments.html", article,
                                               lambda: {"attachments": services.attachments(current_user, article)})}


def edit_parts(article) -> dict:
    """The upload control on the edit page: its form, for the article (None while it is new)."""
    form = UploadForm(formdata=None)
    form.article.data = article.slug if article is not None and can_edit(current_user, article) else ""
    return {"upload_form": form, "upload_max_mb": current_app.config["UPLOAD_MAX_MB"], "upload_new": article is None}


def attach_on_save(session, _flush_context) -> None:
    """An article saved with uploads in its body owns them from then on (seen as it is seen)."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Article) and "/files/" in (obj.body or "") and (
                obj in session.new or sa.inspect(obj).attrs.body.history.has_changes()):
            services.attach_used(session.connection(), obj.id, obj.agency_id, obj.body)
