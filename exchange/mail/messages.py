"""What each kind of email says: its subject, its templates (templates/mail/) and why the person got it.

A message is rendered when it is sent, not when it is queued, so a notification about an article
that has gone back to draft since is checked again and dropped if its reader may no longer see it.
"""
import json
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template, url_for

from exchange.community.models import TeamQuestion
from exchange.db import db
from exchange.mail import digests, preferences

SITE_NAME = "The Exchange"


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    unsubscribe: str | None = None  # the one-click unsubscribe address (RFC 8058), for notifications
    reply_to: str | None = None  # a question to a practice's team: answers go to the person who asked


def render(row) -> Rendered | None:
    """The email an outbox row stands for, or None when there is nothing left to say (drafts since hidden)."""
    payload = json.loads(row.payload or "{}")
    build = KINDS[row.kind]
    context = build(row, payload)
    if context is None:
        return None
    context = {"site_name": SITE_NAME, "home": url_for("site.home", _external=True), **context}
    subject = context["subject"]
    return Rendered(subject=subject, text=render_template(f"mail/{row.kind}.txt", **context),
                    html=render_template(f"mail/{row.kind}.html", **context),
                    unsubscribe=context.get("unsubscribe"), reply_to=context.get("reply_to"))


def as_email(row, rendered: Rendered) -> EmailMessage:
    """The MIME message: plain text and HTML parts, and the List-Unsubscribe headers where they apply."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = formataddr(("", row.to_address))
    message["Subject"] = rendered.subject
    message["Message-ID"] = make_msgid(domain=_from_domain())
    message["Auto-Submitted"] = "auto-generated"
    if rendered.reply_to:
        message["Reply-To"] = rendered.reply_to
    if rendered.unsubscribe:
        message["List-Unsubscribe"] = f"<{rendered.unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def _from_domain() -> str:
    address = current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].strip(" >")
    return address or "localhost"


# The kinds ------------------------------------------------------------------------------------------

def _verify(row, payload):
    return {"subject": f"Confirm your address for {SITE_NAME}", "name": payload.get("name", ""),
            "link": url_for("accounts.verify", token=payload["token"], _external=True),
            "hours": current_app.config["VERIFY_HOURS"],
            "why": f"Someone registered an account on {SITE_NAME} with this address."}


def _registration_repeated(row, payload):
    return {"subject": f"Someone tried to register your address on {SITE_NAME}", "name": payload.get("name", ""),
            "login": url_for("accounts.login", _external=True),
            "forgot": url_for("accounts.forgot_password", _external=True),
            "why": f"Someone tried to register a new account on {SITE_NAME} with this address, which has one."}


def _reset(row, payload):
    return {"subject": f"Reset your password for {SITE_NAME}", "name": payload.get("name", ""),
            "link": url_for("accounts.reset_password", token=payload["token"], _external=True),
            "minutes": current_app.config["RESET_MINUTES"], "by_admin": payload.get("by_admin", False),
            "why": ("An administrator asked for a password reset for your account." if payload.get("by_admin")
                    else "Someone asked to reset the password of the account on this address.")}


def _invitation(row, payload):
    return {"subject": f"{payload['inviter']} invites you to {SITE_NAME}", "agency": payload["agency"],
            "inviter": payload["inviter"], "days": current_app.config["INVITE_DAYS"],
            "link": url_for("accounts.accept_invitation", token=payload["token"], _external=True),
            "why": f"{payload['inviter']} invited this address to join {payload['agency']} on {SITE_NAME}."}


def _notification(row, payload):
    item = digests.item_for(row.user_id, payload["key"])
    if item is None:
        return None
    kind = preferences.kind_of(item.notification.kind)
    return {"subject": item.text, "item": item,
            "unsubscribe": preferences.unsubscribe_url(row.user_id, kind),
            "preferences": url_for("mail.notification_settings", _external=True),
            "why": f"You chose to hear at once about {preferences.KINDS[kind].lower()}."}


def _digest(row, payload):
    items = digests.items_for(row.user_id, payload["ids"])
    if not items:
        return None
    frequency = payload["frequency"]
    return {"subject": f"Your {frequency} digest from {SITE_NAME}: {len(items)} new", "items": items,
            "frequency": frequency, "unsubscribe": preferences.unsubscribe_url(row.user_id, frequency),
            "preferences": url_for("mail.notification_settings", _external=True),
            "why": f"You chose a {frequency} digest of what happened on {SITE_NAME}."}


def _question(row, payload):
    question = db.session.get(TeamQuestion, payload.get("question_id"))
    if question is None or question.sender is None or not question.sender.active:
        return None
    sender, article = question.sender, question.article
    return {"subject": f"{sender.name} asks about your practice \u201c{article.title}\u201d",
            "sender": sender.name, "sender_agency": sender.agency.name, "title": article.title,
            "body": question.body, "link": url_for("articles.show", slug=article.slug, _external=True),
            "reply_to": formataddr((sender.name, sender.email)),
            "why": (f"{sender.name} used \u201cAsk the team about this practice\u201d on {SITE_NAME}; "
                    f"it goes to the practice's author and its agency's contact address.")}


KINDS = {
    "verify": _verify,
    "registration_repeated": _registration_repeated,
    "reset": _reset,
    "invitation": _invitation,
    "notification": _notification,
    "digest": _digest,
    "question": _question,
}
