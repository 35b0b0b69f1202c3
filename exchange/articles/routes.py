"""Article pages: read, write, edit (with conflicts), history, diff, restore; lists by kind, topic, agency."""
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from exchange.accounts import places
from exchange.accounts.services import get_agency
from exchange.articles import autosave, links, pdf, queries, sections, services, topics
from exchange.articles.diff import compare
from exchange.articles.forms import EDITORS, ArticleForm, WithdrawForm, guided_fields, rearrange
from exchange.articles.starters import DEFAULT_POLICY, starter
from exchange.errors import Conflict, DomainError, Invalid
from exchange.extensions import limiter
from exchange.forms import show_refusal
from exchange.pagination import ListArgs, page_number
from exchange.permissions import can_change_status, can_edit, require_edit
from exchange.templating import page_parts

bp = Blueprint("articles", __name__)


def _preview(form) -> str | None:
    """Rendered body for the preview button (never stored)."""
    if "preview" not in request.form:
        return None
    try:
        return links.render_preview(form.body.data or "")
    except Exception:  # noqa: BLE001 - a preview must never break the form
        return None


@bp.route("/articles/new", methods=["GET", "POST"])
@login_required
def new():
    form = ArticleForm()
    if request.method == "GET":
        kind = request.args.get("kind") if request.args.get("kind") in DEFAULT_POLICY else "case_study"
        form.kind.data = kind
        form.edit_policy.data = DEFAULT_POLICY[kind]
        form.body.data = starter(kind)
        form.title.data = (request.args.get("title") or "")[:200]
    editor = _editor(form, form.kind.data)
    if request.method == "POST" and not editor.only_rearranged and form.validate_on_submit() \
            and "preview" not in request.form and not _asks_about_topics(form):
        fields = form.article_fields()
        try:
            if "publish" in request.form:  # checked now; published after "check your answers"
                services.require_publishable(fields)
            article = services.create_article(current_user, {**fields, "status": "draft"})
        except DomainError as error:
            _show_refusal(form, error)
        else:
            return _saved(article, "publish" in request.form)
    return _edit_page(form, None, editor)


class Editor:
    """The editor a page shows: ``guided`` (a field per section, ``fields``) or ``markdown`` (one box)."""

    def __init__(self, mode: str, fields=None, only_rearranged: bool = False, note: str = ""):
        self.mode, self.fields, self.only_rearranged, self.note = mode, fields, only_rearranged, note
        self.hints = sections.HINTS


def _editor(form, kind: str) -> Editor:
    """Which editor to show; a guided POST's fields become ``form.body``. Switching editors, or adding,
    moving or removing a play, only redraws the form (``only_rearranged``): nothing is saved."""
    if request.method == "GET":
        guided = sections.parse(kind, form.body.data or "") if request.args.get("editor") != "markdown" else None
        return Editor("guided", guided) if guided else Editor("markdown")
    guided = None
    if request.form.get("editor") == "guided":
        guided = guided_fields(request.form.get("guided_kind", kind), request.form)
        action = request.form.get("play_action", "")
        if action and isinstance(guided, sections.Playbook):
            rearrange(guided, action)
        form.body.data = sections.join(guided)
        if action:
            return Editor("guided", guided, only_rearranged=True)
    switch = request.form.get("switch_editor")
    if switch == "markdown":
        return Editor("markdown", only_rearranged=True)
    if switch == "guided":
        guided = sections.parse(kind, form.body.data or "")
        if guided is None:
            return Editor("markdown", only_rearranged=True, note=(
                "This text does not follow the template's sections (each heading, in order), so it stays in "
                "one Markdown box. Nothing is lost."))
        return Editor("guided", guided, only_rearranged=True)
    return Editor("guided", guided) if guided is not None else Editor("markdown")


def _edit_page(form, article, editor: Editor, resumable=None):
    status = 422 if form.errors else 200
    return render_template("articles/edit.html", form=form, article=article, preview=_preview(form),
                           editor=editor, editors=EDITORS, resumable=resumable,
                           topic_choices=[(t, n) for t, n in queries.tags_with_counts(None) if n],
                           section_errors=getattr(form, "section_errors", {}),
                           **page_parts("edit", article)), status


def _asks_about_topics(form) -> bool:
    """A new topic close to an existing one: ask "did you mean" once; the same topics sent again are meant."""
    typed = form.tags.data or ""
    if request.form.get("topics_confirmed") == typed:
        return False
    asked = topics.close_topics(current_user, typed)
    for name, existing, count in asked:
        form.tags.errors = list(form.tags.errors or []) + [
            f"Did you mean “{existing.name}” ({count} published)? Write that to join it, or save again "
            f"to start the new topic “{name}”."]
    form.topics_confirmed = typed if asked else None
    return bool(asked)


def _show_refusal(form, error: DomainError) -> None:
    """A refusal in the form; unfilled sections each get their own line in the error summary."""
    unfilled = error.extra.get("sections") if isinstance(error, Invalid) else None
    if unfilled:
        form.body.errors = list(form.body.errors or []) + [each["message"] for each in unfilled]
        form.section_errors = {each["section"]: each["message"] for each in unfilled}
    else:
        show_refusal(form, error)


def _saved(article, publishing: bool):
    """After a draft is saved: on to "check your answers" when publishing, else back to the article."""
    if publishing:
        return redirect(url_for("articles.check_publish", slug=article.slug))
    flash("Your draft is saved. Only staff of your agency and admins can see it.", "success")
    return redirect(url_for("articles.show", slug=article.slug))


@bp.get("/articles/<slug>")
def show(slug):
    article = services.get_article(current_user, slug)
    return render_template("articles/show.html", **article_page(article))


@bp.get("/articles/<slug>/print")
def print_view(slug):
    article = services.get_article(current_user, slug)
    return render_template("articles/print.html", article=article, pdf_available=pdf.available())


def _pdf_limit() -> str:
    return current_app.config["PDF_RATE_LIMIT"]


@bp.get("/articles/<slug>.pdf")
@limiter.limit(_pdf_limit)
def show_pdf(slug):
    """The print view as a PDF; where this server cannot make PDFs, a page pointing to the print view."""
    article = services.get_article(current_user, slug)
    if not pdf.available():
        return render_template("articles/pdf_unavailable.html", article=article), 501
    html = render_template("articles/print.html", article=article, pdf_available=False)
    response = current_app.response_class(pdf.render(html, request.host_url), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{article.slug}.pdf"'
    return response


def article_page(article, **overrides) -> dict:
    """Everything the article page shows; every route that renders it (e.g. a refused endorsement) uses this.

    The article's own parts are here; the endorsement panel and its form (``panel``,
    ``endorsement_form``), the comments and follow state (``comments``, ``following``) and the
    featured badge (``feature``) are added by their domains (see ``exchange.templating.page_parts``).
    """
    return {
        "article": article,
        "backlinks": services.backlinks(article),
        "can_edit": can_edit(current_user, article),
        "can_change_status": can_change_status(current_user, article),
        "out_of_date": article.out_of_date(date.today()),
        "pdf_available": pdf.available(),
        **page_parts("article", article),
        **overrides,
    }


@bp.route("/articles/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    article = services.get_article(current_user, slug)
    require_edit(current_user, article)
    form = ArticleForm()
    copy = autosave.working_copy(current_user, article)
    if request.method == "GET":
        form.fill_from(article)
        if copy is not None and request.args.get("resume"):
            form.resume_from(copy)
    editor = _editor(form, article.kind)
    if request.method == "POST" and not editor.only_rearranged and form.validate_on_submit() \
            and "preview" not in request.form and not _asks_about_topics(form):
        fields = form.article_fields()
        publishing = "publish" in request.form and article.status == "draft"
        try:
            if publishing:
                services.require_publishable({**fields, "kind": article.kind})
            services.update_article(current_user, article, fields, form.base_revision.data, form.change_note.data)
        except Conflict:
            return _conflict(article, form)
        except DomainError as error:
            _show_refusal(form, error)
        else:
            autosave.discard_working_copy(current_user, article)
            if publishing or article.status == "draft":
                return _saved(article, publishing)
            flash("Your changes are saved.", "success")
            return redirect(url_for("articles.show", slug=article.slug))
    resumable = copy if copy is not None and not request.args.get("resume") and request.method == "GET" else None
    return _edit_page(form, article, editor, resumable=resumable)


@bp.post("/articles/<slug>/working-copy/discard")
@login_required
def discard_working_copy(slug):
    article = services.get_article(current_user, slug)
    require_edit(current_user, article)
    autosave.discard_working_copy(current_user, article)
    flash("Your autosaved changes are discarded.", "success")
    return redirect(url_for("articles.edit", slug=article.slug))


def _conflict(article, form):
    """Show what the other person changed and keep this person's text to merge and resubmit."""
    base = form.base_revision.data
    try:
        theirs = compare(services.get_revision(current_user, article, base),
                         services.get_revision(current_user, article, article.revision))
    except DomainError:
        theirs = []
    form.base_revision.data = str(article.revision)
    return render_template("articles/conflict.html", article=article, form=form, changes=theirs, base=base), 409


@bp.get("/articles/<slug>/publish")
@login_required
def check_publish(slug):
    article = services.get_article(current_user, slug)
    problems = services.publishing_check(current_user, article)
    if article.status == "published":
        return redirect(url_for("articles.show", slug=article.slug))
    return _check_page(article, problems)


def _check_page(article, problems, status: int = 200):
    """Check your answers: what will be published and what followers will be told."""
    return render_template("articles/check_publish.html", article=article, problems=problems,
                           **page_parts("publish_check", article)), status


@bp.post("/articles/<slug>/publish")
@login_required
def publish(slug):
    article = services.get_article(current_user, slug)
    try:
        services.publish(current_user, article)
    except Invalid as error:
        if not error.extra.get("sections"):
            raise
        return _check_page(article, [each["message"] for each in error.extra["sections"]], 422)
    flash(f"“{article.title}” is published: everyone can read it now.", "success")
    return redirect(url_for("articles.show", slug=article.slug))


@bp.route("/articles/<slug>/archive", methods=["GET", "POST"])
@login_required
def archive(slug):
    article = services.get_article(current_user, slug)
    form = WithdrawForm()
    if request.method == "POST":
        try:
            services.archive(current_user, article, form.reason.data or "")
        except Invalid as error:
            show_refusal(form, error)
        else:
            flash("The practice is withdrawn: it stays at its address with your reason, "
                  "and no longer appears in lists, search or feeds.", "success")
            return redirect(url_for("articles.show", slug=article.slug))
    else:
        services.require_status_change(current_user, article)
    return render_template("articles/withdraw.html", article=article, form=form), 422 if form.errors else 200


@bp.post("/articles/<slug>/unarchive")
@login_required
def unarchive(slug):
    article = services.unarchive(current_user, services.get_article(current_user, slug))
    flash("The practice is back: it appears in lists, search and feeds again.", "success")
    return redirect(url_for("articles.show", slug=article.slug))


@bp.route("/articles/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete(slug):
    article = services.get_article(current_user, slug)
    if request.method == "POST":
        title = article.title
        services.delete_draft(current_user, article)
        flash(f"The draft “{title}” is deleted.", "success")
        return redirect(url_for("articles.agency", slug=current_user.agency.slug))
    services.require_deletable(current_user, article)
    return render_template("articles/delete.html", article=article)


@bp.get("/articles/<slug>/history")
def history(slug):
    article = services.get_article(current_user, slug)
    revisions = services.list_revisions(current_user, article)
    return render_template("articles/history.html", article=article, revisions=revisions,
                           can_edit=can_edit(current_user, article))


@bp.get("/articles/<slug>/diff")
def diff(slug):
    article = services.get_article(current_user, slug)
    shown = [revision.number for revision in services.list_revisions(current_user, article)]  # newest first
    old_number = request.args.get("from", shown[1] if len(shown) > 1 else shown[0])
    new_number = request.args.get("to", shown[0])
    old = services.get_revision(current_user, article, old_number)
    new_revision = services.get_revision(current_user, article, new_number)
    return render_template("articles/diff.html", article=article, old=old, new=new_revision,
                           changes=compare(old, new_revision))


@bp.route("/articles/<slug>/restore", methods=["GET", "POST"])
@login_required
def restore(slug):
    article = services.get_article(current_user, slug)
    number = request.values.get("revision")
    if not number:
        abort(400)
    old = services.get_revision(current_user, article, number)
    if request.method == "GET" or "confirm" not in request.form:
        require_edit(current_user, article)
        current = services.get_revision(current_user, article, article.revision)
        return render_template("articles/restore.html", article=article, old=old,
                               changes=compare(current, old))
    try:
        services.restore_revision(current_user, article, number, request.form.get("base_revision"))
    except Conflict:
        return redirect(url_for("articles.history", slug=slug, conflict=1))
    flash(f"Revision {old.number} restored, as revision {article.revision}.", "success")
    return redirect(url_for("articles.show", slug=article.slug))


def _listing(places_offered: bool = False, **filters):
    sort = request.args.get("sort", "new")
    sort = sort if sort in queries.SORT_LABELS else "new"
    number = page_number(request.args.get("page"))
    if not places_offered:
        page = queries.list_articles(sort=sort, page=number, **filters)
        return {"page": page, "sort": sort, "sort_labels": queries.SORT_LABELS}
    args = ListArgs(request.args, strict=False)  # a nonsense country or level is ignored, as a nonsense sort is
    where = {"country": places.country_filter(args), "level": places.level_filter(args)}
    page, countries = queries.list_articles_and_countries(sort=sort, page=number, **filters, **where)
    return {"page": page, "sort": sort, "sort_labels": queries.SORT_LABELS, "place": where,
            "countries": countries, "levels": places.LEVEL_NAMES}


@bp.get("/case-studies")
def case_studies():
    return render_template("articles/list.html", heading="Case studies", **_listing(True, kind="case_study"),
                           intro="What agencies tried, and what happened.", kind="case_study")


@bp.get("/playbooks")
def playbooks():
    return render_template("articles/list.html", heading="Playbooks", **_listing(True, kind="playbook"),
                           intro="How to do it: plays with checklists and key questions.", kind="playbook")


@bp.get("/tags")
def tags():
    return render_template("articles/tags.html", tags=queries.tags_with_counts(current_user))


@bp.get("/tags/<slug>")
def tag(slug):
    moved = topics.redirect_for(slug)
    if moved is not None:  # renamed or merged by an admin: links to the old address keep working
        return redirect(url_for("articles.tag", slug=moved, **request.args), 301)
    topic = queries.get_tag(current_user, slug)
    return render_template("articles/tag.html", tag=topic, **_listing(True, tag=topic), **page_parts("tag", topic),
                           top=queries.top_in(topic) if _leads_with_top() else [])


def _leads_with_top() -> bool:
    """A topic's page leads with its top practices on its first page in the default order, not in one chosen."""
    return request.args.get("sort", "new") == "new" and page_number(request.args.get("page")) == 1


@bp.get("/agencies")
def agencies():
    return render_template("articles/agencies.html", agencies=queries.agencies_with_counts())


@bp.get("/agencies/<slug>")
def agency(slug):
    owner = get_agency(slug)
    return render_template(
        "articles/agency.html", agency=owner, **_listing(agency=owner), **page_parts("agency", owner),
        due=queries.due_for_review(owner, date.today()), drafts=queries.drafts_for(current_user, owner),
    )
