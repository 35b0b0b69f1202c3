"""Impact pages: my dashboard, an agency's impact, the site's impact and its export."""
from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from exchange.impact import services
from exchange.permissions import admin_required

bp = Blueprint("impact", __name__)


@bp.get("/me")
@login_required
def me():
    return render_template("impact/me.html", dashboard=services.dashboard(current_user))


@bp.get("/agencies/<slug>/impact")
def agency(slug):
    return render_template("impact/agency.html", impact=services.agency_impact(current_user, slug))


@bp.get("/impact")
def site():
    return render_template("impact/site.html", impact=services.site_impact())


@bp.get("/impact/adoptions.csv")
@admin_required
def adoptions_csv():
    return Response(services.adoptions_csv(current_user), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=exchange-adoptions.csv"})
