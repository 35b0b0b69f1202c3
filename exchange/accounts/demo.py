"""The demo admin that ``make run`` creates on a fresh instance."""
from pathlib import Path

import sqlalchemy as sa

from exchange.accounts.models import Agency, User
from exchange.accounts.services import add_agency, add_user
from exchange.db import db
from exchange.permissions import SYSTEM


def ensure_demo_admin(instance: Path) -> str:
    """Create an admin when there is none; say how to sign in."""
    saved = instance / "demo-admin.txt"
    if db.session.scalar(sa.select(User.id).where(User.role == "admin").limit(1)):
        if saved.exists():
            return f"Sign in at /login as {saved.read_text().strip()}"
        return "An admin exists already; sign in with their account."
    agency = db.session.scalar(sa.select(Agency).order_by(Agency.id).limit(1))
    if agency is None:
        agency = add_agency(SYSTEM, "exchange-demo", "Exchange demo agency", "DEMO", "other", "", ["exchange.example"])
    domain = agency.domain_names[0] if agency.domains else "exchange.example"
    user, password = add_user(SYSTEM, f"admin@{domain}", "Demo Admin", agency.slug, "admin")
    saved.write_text(f"{user.email} with password {password}\n")
    saved.chmod(0o600)
    return f"Created the demo admin. Sign in at /login as {user.email} with password {password}"
