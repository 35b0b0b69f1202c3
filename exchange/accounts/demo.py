"""The demo admin that ``make run`` creates on a fresh instance."""
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from exchange.accounts.models import Agency, User
from exchange.accounts.services import add_agency, add_user
from exchange.db import db
from exchange.permissions import SYSTEM


@dataclass(frozen=True)
class DemoAdmin:
    """How the demo admin signs in: the password only when it was just made (it is kept in ``saved``)."""

    email: str | None
    password: str | None
    saved: Path


def ensure_demo_admin(instance: Path) -> DemoAdmin:
    """Create an admin when there is none; say who signs in and where the password is kept."""
    saved = instance / "demo-admin.txt"
    if db.session.scalar(sa.select(User.id).where(User.role == "admin").limit(1)):
        email = saved.read_text().split()[0] if saved.exists() else None
        return DemoAdmin(email, None, saved)
    agency = db.session.scalar(sa.select(Agency).order_by(Agency.id).limit(1))
    if agency is None:
        agency = add_agency(SYSTEM, "exchange-demo", "Exchange demo agency", "DEMO", "other", "", ["exchange.example"])
    domain = agency.domain_names[0] if agency.domains else "exchange.example"
    user, password = add_user(SYSTEM, f"admin@{domain}", "Demo Admin", agency.slug, "admin")
    saved.write_text(f"{user.email} with password {password}\n")
    saved.chmod(0o600)
    return DemoAdmin(user.email, password, saved)
