"""The audit log in words: "Priya Shah hid a comment on “Chatbots for council tax”", not ``comment.hide``.

Each action has a sentence (what the actor did, with ``{target}`` as the thing it was done to) and a
label for the filter. Targets are looked up in one query per kind of target on the page.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from exchange.accounts.models import Agency, User
from exchange.articles.models import Article, Tag
from exchange.audit import AuditEntry
from exchange.community.models import FLAG_REASONS, Comment, Flag
from exchange.db import db
from exchange.pages.models import SitePage

# action: (what the actor did, with {target} and {detail}; the filter's label)
ACTIONS = {
    "comment.hide": ("hid a comment on {target}", "Hid a comment"),
    "comment.approve": ("approved a comment on {target}", "Approved a comment"),
    "comment.restore": ("showed again a hidden comment on {target}", "Showed a hidden comment again"),
    "flag.dismiss": ("dismissed a report about {target}", "Dismissed a report"),
    "flag.refer": ("asked the agency to review {target}, reported out of date", "Asked an agency to review"),
    "article.archive": ("archived {target}", "Archived a practice"),
    "article.ask_team": ("sent a question to the team behind {target}", "Asked a practice's team"),
    "article.delete_draft": ("deleted the draft {detail}", "Deleted a draft"),
    "feature.add": ("featured {target}", "Featured a practice"),
    "feature.update": ("changed the feature of {target}", "Changed a feature"),
    "feature.move": ("moved {target} {detail}", "Moved a feature"),
    "feature.remove": ("stopped featuring {target}", "Stopped featuring a practice"),
    "topic.rename": ("renamed a topic: {detail}", "Renamed a topic"),
    "topic.describe": ("described the topic {target}", "Described a topic"),
    "topic.merge": ("merged the topic {target}: {detail}", "Merged topics"),
    "agency.add": ("added the agency {target}", "Added an agency"),
    "agency.update": ("edited the agency {target}", "Edited an agency"),
    "agency.members_may_invite": ("changed whether staff of {target} may invite colleagues",
                                  "Changed who may invite"),
    "agency.contact_email": ("changed the contact address of {target} ({detail})", "Changed an agency's contact"),
    "agency.sso": ("set up single sign-on for {target}", "Set up single sign-on"),
    "agency.sso_remove": ("removed single sign-on from {target}", "Removed single sign-on"),
    "user.add": ("added {target}", "Added a person"),
    "user.set_role": ("made {target} {detail}", "Changed a role"),
    "user.activate": ("reactivated {target}", "Reactivated a person"),
    "user.deactivate": ("deactivated {target}", "Deactivated a person"),
    "user.set_password": ("set a new password for {target}", "Set a password"),
    "user.resend_verification": ("sent {target} a new verification link", "Sent a verification link"),
    "user.send_reset": ("sent {target} a password-reset link", "Sent a password-reset link"),
    "user.reset_link": ("reset their password with a link", "Reset a password with a link"),
    "user.sso_confirm": ("linked their account to their agency's sign-on", "Linked an account to single sign-on"),
    "user.sso_sign_in": ("signed in through their agency's sign-on", "Signed in through single sign-on"),
    "user.sso_add": ("joined through their agency's sign-on", "Joined through single sign-on"),
    "invitation.create": ("invited {target}", "Invited someone"),
    "invitation.revoke": ("withdrew the invitation to {target}", "Withdrew an invitation"),
    "invitation.accept": ("accepted the invitation to {target}", "Accepted an invitation"),
    "page.edit": ("edited the site page {target}", "Edited a site page"),
    "page.reset": ("put the site page {target} back to the shipped text", "Reset a site page"),
}
ROLES = {"admin": "an admin", "member": "a member"}


@dataclass
class Said:
    """One audit entry as a sentence."""

    entry: AuditEntry
    sentence: str


def label(action: str) -> str:
    """The filter's name for an action."""
    return ACTIONS[action][1] if action in ACTIONS else action.replace(".", " ").replace("_", " ").capitalize()


def in_words(entries) -> list[Said]:
    """Each entry as "who did what to what"; one query per kind of target."""
    entries = list(entries)
    names = _names(entries)
    return [Said(entry, _sentence(entry, names)) for entry in entries]


def _sentence(entry: AuditEntry, names: dict) -> str:
    who = entry.actor.name if entry.actor else ("Someone" if entry.action == "invitation.accept"
                                                 else "The command line")
    target = names.get((entry.target_type, entry.target), entry.target)
    if entry.action not in ACTIONS:
        return f"{who}: {label(entry.action).lower()}, {target}" + (f" ({entry.detail})" if entry.detail else "")
    detail = ROLES.get(entry.detail, entry.detail) if entry.action == "user.set_role" else entry.detail
    return f"{who} " + ACTIONS[entry.action][0].format(target=target, detail=detail)


def _quoted(text: str) -> str:
    return f"“{text}”"


def _names(entries) -> dict:
    """(target type, target) -> what people call it, for every target of these entries."""
    wanted: dict[str, set] = {}
    for entry in entries:
        wanted.setdefault(entry.target_type, set()).add(entry.target)
    names: dict = {}
    if "article" in wanted:
        rows = db.session.execute(sa.select(Article.slug, Article.title).where(Article.slug.in_(wanted["article"])))
        names.update({("article", slug): _quoted(title) for slug, title in rows})
    if "comment" in wanted:
        ids = [int(i) for i in wanted["comment"] if i.isdigit()]
        rows = db.session.execute(sa.select(Comment.id, Article.title).join(Article, Article.id == Comment.article_id)
                                  .where(Comment.id.in_(ids)))
        names.update({("comment", str(i)): _quoted(title) for i, title in rows})
    if "flag" in wanted:
        ids = [int(i) for i in wanted["flag"] if i.isdigit()]
        rows = db.session.execute(sa.select(Flag.id, Flag.reason, Flag.comment_id, Article.title)
                                  .join(Article, Article.id == Flag.article_id).where(Flag.id.in_(ids)))
        names.update({("flag", str(i)): f"{'a comment on ' if comment else ''}{_quoted(title)} "
                      f"({FLAG_REASONS.get(reason, reason).lower()})" for i, reason, comment, title in rows})
    if "user" in wanted:
        rows = db.session.execute(sa.select(User.email, User.name).where(User.email.in_(wanted["user"])))
        names.update({("user", email): name for email, name in rows})
    if "agency" in wanted:
        rows = db.session.execute(sa.select(Agency.slug, Agency.name).where(Agency.slug.in_(wanted["agency"])))
        names.update({("agency", slug): name for slug, name in rows})
    if "tag" in wanted:
        rows = db.session.execute(sa.select(Tag.slug, Tag.name).where(Tag.slug.in_(wanted["tag"])))
        names.update({("tag", slug): _quoted(name) for slug, name in rows})
    if "page" in wanted:
        rows = db.session.execute(sa.select(SitePage.slug, SitePage.title).where(SitePage.slug.in_(wanted["page"])))
        names.update({("page", slug): _quoted(title) for slug, title in rows})
    return names
