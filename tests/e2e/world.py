"""A small world with one of everything a page can show, made through the site's own services.

The authorisation matrix, the HTML validity check and the browser tests all start from it:
two agencies with staff (the author and a colleague at the owning agency, a member at another),
an admin, a published case study with two revisions, comments and an adoption, a featured playbook,
a draft, an archived article, a comment waiting for moderation, an open flag and an unread notification.
"""
import uuid
from dataclasses import dataclass, field

from exchange.permissions import SYSTEM

PASSWORD = "correct horse battery staple"

CASE_STUDY_BODY = """## Context

Northfield answers about 4,000 questions a month on social media.

## What we did

- Published a response-time promise
- Trained 12 staff to answer

## Results

| Measure | Before | After |
| --- | --- | --- |
| Median reply | 9 hours | 55 minutes |

See also [[{playbook}]] and [the guidance](https://example.org/guidance).

## Lessons learned

Answering in public works best with a named team.
"""

PLAYBOOK_BODY = """How to answer residents on social media, play by play.

## Play 1: Promise a response time

Why: people wait less when they know what to expect.

- [ ] Agree the promise
- [ ] Publish it

### Key questions

- Who answers at weekends?

## Play 2: Measure it

Why: a promise nobody measures is soon forgotten.

- [ ] Report the median every month
"""

GOOD_COMMENT = "We tried the same response-time promise in Southport and cut complaints by a third in a year."
LINK_COMMENT = "Our evaluation is at https://example.org/southport-evaluation for anyone who wants the numbers."


@dataclass
class Person:
    id: int
    email: str
    name: str


@dataclass
class World:
    """Slugs and ids of what ``build`` made."""

    suffix: str
    agency: str  # the owning agency's slug
    other_agency: str
    admin_agency: str
    tag: str
    author: Person
    colleague: Person  # staff of the owning agency
    other: Person  # staff of another agency
    admin: Person
    case_study: str
    playbook: str
    draft: str
    archived: str  # archived by the admin, and past its review-by date
    comment: int  # published, by ``other`` on the case study
    pending_comment: int  # waiting for a moderator (a link from a new account)
    flag: int  # open, by ``other`` on the case study
    notification: int  # the author's, about ``other``'s comment
    token: int  # the author's API token
    featured: str  # the playbook, featured by the admin; the case study has ``other``'s adoption
    tokens: dict = field(default_factory=dict)  # role -> secret
    challenge: str = ""  # open, asked by the owning agency (the author); answered by the admin with the playbook
    draft_challenge: str = ""  # the author's draft challenge
    answer: int = 0  # the admin's answer to ``challenge``


def build(app, suffix: str | None = None) -> World:
    """Make the world in ``app``'s database and return what it holds.

    ``suffix`` keeps its names apart from other data ("" for none; random by default).
    """
    import sqlalchemy as sa

    from exchange.accounts import services as accounts
    from exchange.articles import services as articles
    from exchange.challenges import services as challenges
    from exchange.community import services as community
    from exchange.community.models import Notification
    from exchange.curation import services as featuring
    from exchange.db import db
    from exchange.endorsements import services as endorsements

    suffix = uuid.uuid4().hex[:6] if suffix is None else suffix

    def named(text: str, sep: str = " ") -> str:
        return f"{text}{sep}{suffix}" if suffix else text
    with app.app_context():
        agency = accounts.add_agency(SYSTEM, named("northfield", "-"), named("Northfield Council"), "NFC",
                                     "local", "GB", [named("northfield", "-") + ".example"])
        other_agency = accounts.add_agency(SYSTEM, named("southport", "-"), named("Southport Health Board"), "SHB",
                                           "regional", "GB", [named("southport", "-") + ".example"])
        admin_agency = accounts.add_agency(SYSTEM, named("exchange-team", "-"), named("Exchange Team"), "EXT",
                                           "national", "GB", [named("exchange-team", "-") + ".example"])

        def person(local, name, agency_, role="member"):
            user, _ = accounts.add_user(SYSTEM, f"{local}@{agency_.domain_names[0]}", name, agency_.slug, role,
                                        PASSWORD)
            return user

        author = person("ana.author", "Ana Author", agency)
        colleague = person("colin.colleague", "Colin Colleague", agency)
        other = person("olga.other", "Olga Other", other_agency)
        admin = person("ada.admin", "Ada Admin", admin_agency, role="admin")
        accounts.update_profile(author, "Ana Author", "Head of digital engagement",
                                "Runs Northfield's social media team.")

        playbook = articles.create_article(author, {
            "title": named("Running a public reply desk"), "kind": "playbook", "status": "published",
            "summary": "How to answer residents' questions in public, quickly and well.",
            "body": PLAYBOOK_BODY, "tags": ["social media", "citizen participation"],
        })
        case_study = articles.create_article(author, {
            "title": named("Replying to residents within an hour"), "kind": "case_study", "status": "published",
            "summary": "We promised a one-hour reply on social media and kept it.",
            "body": CASE_STUDY_BODY.format(playbook=playbook.slug), "tags": ["social media", "open data"],
            "evidence_level": 2, "stage": "implemented", "review_by": "2030-01-31",
        })
        articles.update_article(colleague, case_study, {"summary": "We promised a one-hour reply on social media, "
                                                                   "and kept it for a year."},
                                case_study.revision, "Kept for a year")
        draft = articles.create_article(author, {
            "title": named("Chatbot pilot notes"), "kind": "case_study", "status": "draft",
            "summary": "Early notes from a chatbot pilot.", "body": "## Context\n\nNot ready yet.",
        })
        archived = articles.create_article(author, {
            "title": named("Fax-back forms"), "kind": "case_study", "status": "published",
            "summary": "Kept for reference: we stopped this in 2019.", "body": "## Context\n\nFax machines.",
            "review_by": "2020-01-31"})
        articles.archive(admin, archived, "We stopped using fax forms in 2019.")
        comment = community.add_comment(other, case_study, GOOD_COMMENT)
        pending = community.add_comment(colleague, case_study, LINK_COMMENT)
        flag = community.flag(other, case_study, "inaccurate", "The median in the table looks like the mean.")
        notification = db.session.scalar(sa.select(Notification.id).where(Notification.user_id == author.id)
                                         .order_by(Notification.id.desc()))
        tokens = {role: accounts.create_token(user, "e2e")[1]
                  for role, user in (("author", author), ("colleague", colleague), ("other", other), ("admin", admin))}
        token_id = accounts.list_tokens(author)[0].id
        endorsements.endorse(other, case_study, "adopt", "Southport adopted the one-hour promise in 2025.")
        featuring.feature(admin, playbook.slug, "The clearest guide to answering residents in public.")
        challenge = challenges.post_challenge(author, {
            "title": named("Answering residents at weekends"), "status": "open", "tags": ["social media"],
            "problem": "## Who is affected\n\nResidents who write to us on Saturdays wait until Monday."})
        draft_challenge = challenges.post_challenge(author, {
            "title": named("Moderating comments overnight"), "status": "draft",
            "problem": "Not ready to ask yet."})
        answer = challenges.answer(admin, challenge, playbook.slug, "Play 1 covers weekend rotas.")

        def who(user):
            return Person(user.id, user.email, user.name)

        return World(
            suffix=suffix, agency=agency.slug, other_agency=other_agency.slug, admin_agency=admin_agency.slug,
            tag="social-media", author=who(author), colleague=who(colleague), other=who(other), admin=who(admin),
            case_study=case_study.slug, playbook=playbook.slug, draft=draft.slug, archived=archived.slug,
            comment=comment.id, pending_comment=pending.id, flag=flag.id, notification=notification, token=token_id,
            featured=playbook.slug, tokens=tokens, challenge=challenge.slug, draft_challenge=draft_challenge.slug,
            answer=answer.id,
        )
