"""The site pages under /about, "Is this page useful?", and an agency's feedback on its practices.

The admin's editing pages live in the one admin area (``exchange.curation.routes``).
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request
from flask_login import current_user, login_required

from exchange.accounts.services import get_agency
from exchange.errors import Invalid
from exchange.extensions import csrf, limiter
from exchange.pages import services

bp = Blueprint("pages", __name__)

THANKS = "Thank you for your feedback: it goes to the people who look after this page."


@bp.get("/about", defaults={"slug": "about"})
@bp.get("/about/<any('how-it-works', 'comment-rules', accessibility, privacy, contact):slug>")
def show(slug):
    return render_template("pages/show.html", page=services.get_page(slug), pages=services.SLUGS)


def _feedback_limit() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


@bp.post("/feedback")
@csrf.exempt  # a visitor's yes/no: no session to protect, and a form token would keep articles out of the page cache
@limiter.limit(_feedback_limit)
def feedback():
    form = request.form
    try:
        services.record_feedback(current_user, form.get("path"), form.get("useful"), form.get("comment"))
    except Invalid as error:
        return render_template("pages/feedback.html", error=error, path=form.get("path", ""),
                               comment=form.get("comment", "")), 422
    flash(THANKS, "success")
    return redirect(services.feedback_path(form.get("path")))


@bp.get("/agencies/<slug>/feedback")
@login_required
def agency_feedback(slug):
    agency = get_agency(slug)
    return render_template("pages/agency_feedback.html", agency=agency,
                           summaries=services.feedback_summaries(current_user, agency))
