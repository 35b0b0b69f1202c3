"""Which emails a person wants: per kind of event, none, at once, or in a daily or weekly digest."""
import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

from exchange.db import db
from exchange.errors import Invalid, NotFound
from exchange.mail.models import MailPreference

KINDS = {  # what a person chooses for, in their words
    "following": "New practices and comments in what you follow",
    "endorsements": "Endorsements and adoptions of your practices",
    "comments": "Comments on your practices",
    "replies": "Replies to your comments",
    "moderation": "Moderators' decisions on your comments and reports, and review requests",
}
FREQUENCIES = {"none": "Never", "instant": "At once", "daily": "Daily digest", "weekly": "Weekly digest"}
DIGESTS = ("daily", "weekly")
DEFAULTS = {"following": "weekly", "endorsements": "instant", "comments": "instant", "replies": "instant",
            "moderation": "instant"}
# The in-site notifications (exchange/community/notifications.py) each kind covers.
NOTIFICATION_KINDS = {"new_article": "following", "followed_comment": "following", "endorsed": "endorsements",
                      "adopted": "endorsements", "commented": "comments", "replied": "replies",
                      "comment_approved": "moderation", "comment_hidden": "moderation",
                      "flag_upheld": "moderation", "flag_dismissed": "moderation", "report_dismissed": "moderation",
                      "flag_referred": "moderation", "review_requested": "moderation",
                      "new_challenge": "following", "challenge_answer": "comments", "challenge_helped": "endorsements",
                      "challenge_comment": "comments"}
_SALT = "mail-unsubscribe"


def kind_of(notification_kind: str) -> str | None:
    """The preference that covers a notification kind; None for those never emailed (account notices)."""
    return NOTIFICATION_KINDS.get(notification_kind)


def preferences_of(user_id: int) -> dict[str, str]:
    """A person's choice for every kind, the defaults filling what they never chose."""
    chosen = dict(db.session.execute(sa.select(MailPreference.kind, MailPreference.frequency)
                                     .where(MailPreference.user_id == user_id)).all())
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in KINDS}


def frequency_of(connection, user_ids, kind: str) -> dict[int, str]:
    """Each of these people's choice for one kind (read on ``connection``, e.g. inside a flush)."""
    chosen = dict(connection.execute(sa.select(MailPreference.user_id, MailPreference.frequency).where(
        MailPreference.user_id.in_(list(user_ids)), MailPreference.kind == kind)).all())
    return {user_id: chosen.get(user_id, DEFAULTS[kind]) for user_id in user_ids}


def following_emails() -> dict:
    """For a "Get updates" page: how the current person now hears by email of what they follow."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return {"email_choice": None, "email_verified": False}
    choice = preferences_of(current_user.id)["following"]
    return {"email_choice": FREQUENCIES[choice], "email_never": choice == "none",
            "email_verified": current_user.verified_at is not None}


def set_preferences(user, choices: dict) -> dict[str, str]:
    """Save a person's choices; an unknown kind or frequency is refused and nothing changes."""
    for kind, frequency in choices.items():
        if kind not in KINDS:
            raise Invalid(f"There is no kind of email called '{kind}'.", {kind: "unknown kind"})
        if frequency not in FREQUENCIES:
            raise Invalid(f"Choose one of: {', '.join(FREQUENCIES)}.", {kind: "unknown choice"})
    for kind, frequency in choices.items():
        _set(user.id, kind, frequency)
    db.session.commit()
    return preferences_of(user.id)


def _set(user_id: int, kind: str, frequency: str) -> None:
    row = db.session.get(MailPreference, (user_id, kind))
    if row is None:
        db.session.add(MailPreference(user_id=user_id, kind=kind, frequency=frequency))
    else:
        row.frequency = frequency


# One-click unsubscribe (RFC 8058) -------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, what: str) -> str:
    """A signed token naming a person and a kind (or a digest: every kind sent in it)."""
    return _serializer().dumps({"u": user_id, "w": what})


def unsubscribe_url(user_id: int, what: str) -> str:
    return url_for("mail.unsubscribe", token=unsubscribe_token(user_id, what), _external=True)


def read_unsubscribe(token: str) -> tuple[int, str]:
    """The person and kind a token names; NotFound for a forged or damaged one."""
    try:
        data = _serializer().loads(token)
        user_id, what = int(data["u"]), str(data["w"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("That unsubscribe link is not valid; change your emails on your profile instead.") from None
    if what not in KINDS and what not in DIGESTS:
        raise NotFound("That unsubscribe link is not valid; change your emails on your profile instead.")
    return user_id, what


def unsubscribe(token: str) -> tuple[int, list[str]]:
    """Stop what the token names: one kind, or every kind sent in that digest. Returns the kinds stopped."""
    user_id, what = read_unsubscribe(token)
    current = preferences_of(user_id)
    kinds = [what] if what in KINDS else [kind for kind, frequency in current.items() if frequency == what]
    for kind in kinds:
        _set(user_id, kind, "none")
    db.session.commit()
    return user_id, kinds
