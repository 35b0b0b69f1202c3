"""The admin area, the one place under /admin: overview, people, agencies, featured practices,
moderation, search analytics, the audit log, the site pages, "Is this page useful?" feedback and the
questions members asked practices' teams.

Every change is a POST that needs admin rights and a recent sign-in, and writes an audit entry.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from exchange.accounts import links, sso
from exchange.accounts import services as accounts
from exchange.accounts.forms import AgencyForm
from exchange.articles.queries import tags_with_counts
from exchange.articles.topics import get_topic
from exchange.challenges.services import overdue as overdue_challenges
from exchange.community import questions as team_questions
from exchange.community.models import as_id
from exchange.curation import audit_words, moderation, queries, services, topics
from exchange.curation.forms import FeatureForm
from exchange.errors import DomainError
from exchange.forms import show_refusal, status_for
from exchange.pages import services as pages
from exchange.pages.forms import PageForm
from exchange.pagination import page_number
from exchange.permissions import admin_required
from exchange.search import analytics
from exchange.urls import safe_next

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@admin_required
def overview():
    return render_template("curation/admin_overview.html", counts=queries.overview(),
                           recent=audit_words.in_words(queries.audit_entries(per_page=8).items),
                           overdue=overdue_challenges())


# People ---------------------------------------------------------------------

@bp.get("/people")
@admin_required
def people():
    text, agency, role = (request.args.get(name, "") for name in ("q", "agency", "role"))
    agencies = accounts.list_agencies()
    agency = agency if any(a.slug == agency for a in agencies) else ""
    role = role if role in queries.ROLES else ""
    found = queries.find_people(text, page_number(request.args.get("page")), agency=agency, role=role)
    return render_template("curation/admin_people.html", page=found, q=text, agency=agency, role=role,
                           agencies=agencies, roles=queries.ROLES, sign_in_methods=sso.method_of(found.items))


@bp.post("/people/<int:user_id>/role")
@admin_required
def set_role(user_id):
    person = accounts.get_user(user_id)
    role = request.form.get("role", "")
    _attempt(lambda: accounts.set_role(current_user, person.email, role),
             f"{person.name} is now {'an admin' if role == 'admin' else 'a member'}.")
    return redirect(url_for("admin.people", q=request.form.get("q") or None))


@bp.get("/people/<int:user_id>/deactivate")
@admin_required
def confirm_deactivation(user_id):
    return render_template("curation/admin_deactivate.html", person=accounts.get_user(user_id),
                           q=request.args.get("q", ""))


@bp.post("/people/<int:user_id>/active")
@admin_required
def set_active(user_id):
    person = accounts.get_user(user_id)
    active = request.form.get("active") == "1"
    if not active and request.form.get("confirm") != "yes":  # deactivating is asked first, on its own page
        return redirect(url_for("admin.confirm_deactivation", user_id=person.id, q=request.form.get("q") or None))
    done = "reactivated" if active else "deactivated: they can no longer sign in or use a token"
    _attempt(lambda: accounts.set_active(current_user, person, active), f"{person.name} is {done}.")
    return redirect(url_for("admin.people", q=request.form.get("q") or None))


@bp.post("/people/<int:user_id>/verification")
@admin_required
def resend_verification(user_id):
    person = accounts.get_user(user_id)
    _attempt(lambda: links.resend_verification(current_user._get_current_object(), person),
             f"A new verification link is on its way to {person.email}.")
    return redirect(url_for("admin.people", q=request.form.get("q") or None))


@bp.post("/people/<int:user_id>/reset")
@admin_required
def send_reset(user_id):
    person = accounts.get_user(user_id)
    _attempt(lambda: links.send_reset(current_user, person), f"A password-reset link is on its way to {person.email}.")
    return redirect(url_for("admin.people", q=request.form.get("q") or None))


def _attempt(action, success: str) -> None:
    """Run one admin action; its refusal becomes a message on the next page."""
    try:
        action()
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(success, "success")


# Agencies -------------------------------------------------------------------

@bp.get("/agencies")
@admin_required
def agencies():
    return render_template("curation/admin_agencies.html", agencies=accounts.list_agencies())


@bp.get("/agencies/new")
@admin_required
def new_agency():
    return render_template("curation/admin_agency_form.html", form=AgencyForm(), agency=None)


@bp.post("/agencies/new")
@admin_required
def add_agency():
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            agency = accounts.add_agency(current_user, form.slug.data, form.name.data, form.acronym.data,
                                         form.level.data, form.country.data, _lines(form.domains.data))
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(f"{agency.name} is added.", "success")
            return redirect(url_for("admin.agencies"))
    return render_template("curation/admin_agency_form.html", form=form, agency=None), status_for(form)


@bp.get("/agencies/<slug>/edit")
@admin_required
def edit_agency(slug):
    agency = accounts.get_agency(slug)
    form = AgencyForm(obj=agency)
    form.domains.data = "\n".join(agency.domain_names)
    return render_template("curation/admin_agency_form.html", form=form, agency=agency)


@bp.post("/agencies/<slug>/edit")
@admin_required
def update_agency(slug):
    agency = accounts.get_agency(slug)
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            accounts.update_agency(current_user, agency, form.name.data, form.acronym.data, form.level.data,
                                   form.country.data, _lines(form.domains.data))
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(f"{agency.name} is saved.", "success")
            return redirect(url_for("admin.agencies"))
    return render_template("curation/admin_agency_form.html", form=form, agency=agency), status_for(form)


@bp.post("/agencies/<slug>/invitations")
@admin_required
def set_members_may_invite(slug):
    agency = accounts.get_agency(slug)
    allowed = request.form.get("members_may_invite") == "1"
    _attempt(lambda: accounts.set_members_may_invite(current_user, agency, allowed),
             f"Staff of {agency.name} {'may now' if allowed else 'may no longer'} invite colleagues.")
    return redirect(url_for("admin.edit_agency", slug=agency.slug))


@bp.post("/agencies/<slug>/contact")
@admin_required
def set_contact_email(slug):
    agency = accounts.get_agency(slug)
    email = request.form.get("contact_email", "")
    _attempt(lambda: accounts.set_contact_email(current_user, agency, email),
             f"Questions about {agency.name}'s practices go to {email.strip()}." if email.strip()
             else f"Questions about {agency.name}'s practices go to their authors only.")
    return redirect(url_for("admin.edit_agency", slug=agency.slug))


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


# Featured practices ---------------------------------------------------------

@bp.get("/featured")
@admin_required
def featured():
    form = FeatureForm(formdata=None)
    _prefill(form, request.args.get("slug"), request.args.get("kind") or "practice")
    return _featured_page(form)


@bp.post("/featured")
@admin_required
def add_feature():
    form = FeatureForm()
    if form.validate_on_submit():
        try:
            kind, slug = form.target()
            feature = services.feature(current_user, slug, form.note.data, form.position.data, form.until.data,
                                        kind)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(f"“{feature.item.title}” is featured at position {feature.position}.", "success")
            return redirect(url_for("admin.featured"))
    return _featured_page(form)


def _featured_page(form):
    return render_template("curation/admin_featured.html", form=form, features=services.all_features(),
                           today=services.today()), status_for(form)


def _prefill(form: FeatureForm, slug: str | None, kind: str = "practice") -> None:
    """Open the form on an article (from its page) or a challenge, with its current feature if it has one."""
    if not slug:
        return
    form.slug.data, form.kind.data = slug, "challenge" if kind == "challenge" else "practice"
    current = next((f for f in services.all_features() if f.kind == form.kind.data and f.item.slug == slug), None)
    if current is not None:
        form.note.data, form.position.data = current.note, str(current.position)
        form.until.data = current.until.isoformat() if current.until else ""


@bp.post("/featured/<slug>/move")
@admin_required
def move_feature(slug):
    services.move(current_user, slug, request.form.get("direction", ""), request.form.get("kind") or "practice")
    return redirect(url_for("admin.featured"))


@bp.post("/featured/<slug>/delete")
@admin_required
def unfeature(slug):
    kind = request.form.get("kind") or "practice"
    services.unfeature(current_user, slug, kind)
    flash(f"The {'challenge' if kind == 'challenge' else 'practice'} is no longer featured.", "success")
    return redirect(url_for("admin.featured"))


# Audit log ------------------------------------------------------------------

@bp.get("/audit")
@admin_required
def audit_log():
    action = request.args.get("action", "")
    actor = request.args.get("actor", "")
    actor_id = as_id(actor)
    entries = queries.audit_entries(action, actor_id, page_number(request.args.get("page")))
    return render_template("curation/admin_audit.html", page=entries, said=audit_words.in_words(entries.items),
                           action=action, actor_id=actor_id, actors=queries.audit_actors(),
                           actions=[(each, audit_words.label(each)) for each in queries.audit_actions()])


# Moderation -----------------------------------------------------------------

@bp.get("/moderation")
@admin_required
def moderation_queue():
    return render_template("curation/admin_moderation.html", queue=moderation.queue(current_user))


@bp.post("/moderation/comments/<int:comment_id>/<any(approve, hide, restore):action>")
@admin_required
def moderate_comment(comment_id, action):
    comment = moderation.get_comment(comment_id)
    verbs = {"approve": (moderation.approve_comment, "approved"), "hide": (moderation.hide_comment, "hidden"),
             "restore": (moderation.restore_comment, "restored")}
    act, done = verbs[action]
    act(current_user, comment)
    flash(f"The comment by {comment.author.name} is {done}.", "success")
    return _back_to_queue()


@bp.post("/moderation/flags/<int:flag_id>/<any(dismiss, archive, refer):action>")
@admin_required
def handle_flag(flag_id, action):
    report = moderation.get_flag(flag_id)
    if action == "dismiss":
        moderation.dismiss_flag(current_user, report)
        flash("The flag is dismissed; the person who reported it and the author are told.", "success")
    elif action == "refer":
        moderation.refer_flag(current_user, report)
        flash(f"{report.article.agency.name} is asked to review “{report.article.title}”; its staff are told.",
              "success")
    else:
        article = moderation.archive_flagged_article(current_user, report)
        flash(f"“{article.title}” is archived.", "success")
    return _back_to_queue()


def _back_to_queue():
    return redirect(safe_next(request.form.get("next")) or url_for("admin.moderation_queue"))


# Search analytics -----------------------------------------------------------

@bp.get("/search")
@admin_required
def analytics_page():
    searches, unanswered = analytics.totals()
    return render_template(
        "curation/admin_search.html", top=analytics.top_queries(), zero=analytics.zero_result_queries(),
        searches=searches, unanswered=unanswered, days=analytics.WINDOW_DAYS,
    )


# Topics ---------------------------------------------------------------------

@bp.get("/topics")
@admin_required
def topics_page():
    return render_template("curation/admin_topics.html", topics=tags_with_counts(current_user))


@bp.get("/topics/<slug>")
@admin_required
def topic_page(slug):
    return render_template("curation/admin_topic.html", topic=get_topic(slug),
                           others=[(t, n) for t, n in tags_with_counts(current_user) if t.slug != slug])


@bp.post("/topics/<slug>/rename")
@admin_required
def rename_topic(slug):
    return _topic_change(slug, lambda: topics.rename_topic(current_user, slug, request.form.get("name", "")),
                         "The topic is renamed; its old address leads here.")


@bp.post("/topics/<slug>/describe")
@admin_required
def describe_topic(slug):
    return _topic_change(slug, lambda: topics.describe_topic(current_user, slug, request.form.get("description")),
                         "The topic's description is saved: its page shows it.")


@bp.post("/topics/<slug>/merge")
@admin_required
def merge_topic(slug):
    return _topic_change(slug, lambda: topics.merge_topic(current_user, slug, request.form.get("into", "")),
                         "The topics are merged: articles and followers moved, and the old address leads here.")


def _topic_change(slug, change, success: str):
    """One topic change; back to the topic's page (at its new address), or to it with the refusal."""
    try:
        tag = change()
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.topic_page", slug=slug))
    flash(success, "success")
    return redirect(url_for("admin.topic_page", slug=tag.slug))


# Site pages and feedback ------------------------------------------------------

@bp.get("/pages")
@admin_required
def site_pages():
    return render_template("curation/admin_pages.html", pages=pages.all_pages())


@bp.route("/pages/<slug>", methods=["GET", "POST"])
@admin_required
def edit_site_page(slug):
    page = pages.get_page(slug)
    form = PageForm(data={"title": page.title, "body": page.body})
    if form.validate_on_submit():
        try:
            page = pages.edit_page(current_user, slug, form.title.data, form.body.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(f"“{page.title}” is saved: it shows at {page.path}.", "success")
            return redirect(url_for("admin.site_pages"))
    return render_template("curation/admin_page_form.html", form=form, page=page), status_for(form)


@bp.post("/pages/<slug>/reset")
@admin_required
def reset_site_page(slug):
    page = pages.reset_page(current_user, slug)
    flash(f"“{page.title}” shows the shipped text again.", "success")
    return redirect(url_for("admin.site_pages"))


@bp.get("/feedback")
@admin_required
def feedback():
    return render_template("curation/admin_feedback.html", summaries=pages.feedback_summaries(current_user))


@bp.get("/questions")
@admin_required
def questions():
    page = page_number(request.args.get("page"))
    return render_template("curation/admin_questions.html", listing=team_questions.list_questions(current_user, page))
