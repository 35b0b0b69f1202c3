"""``endorsements.yml``: who endorsed a practice of the library or recorded that their agency adopted it,
when, and why (the note is the adoption story: at most 280 characters).

One entry per endorsement, in the order export writes them (by practice, then time)::

    - article: answering-residents-on-social-media
      by: {name: Siobhán Byrne, email: siobhan.byrne@kilbrack.example, agency: kilbrack-municipal-district}
      kind: adopt
      created: '2026-05-12T10:00:00+00:00'
      note: We copied the tags and the one-working-day promise for our roads and waste accounts.
      adopted_on: 2026-05-01
      status: in_use
      outcome: Replies within a working day went from 40% to 85%.

``adopted_on``, ``status`` (piloting, in_use, stopped) and ``outcome`` are an adoption's story, each
optional and written only when set. ``agency`` is the endorser's agency when they endorsed (what the
weight rules count). ``updated`` (when the kind or note last changed) is written only when it differs
from ``created``.

Loading adds the endorsements missing: a person is found by email, or added to the named agency as
a member who cannot sign in (no password: they may reset it, or an admin may invite them). An
endorsement the person already made on that practice is left as it is, so loading twice changes
nothing. A bad entry is reported with its number and field, changes nothing, and the others load.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
import yaml

from exchange import search
from exchange.accounts.models import Agency, User
from exchange.accounts.services import add_user, normalise_email
from exchange.articles.models import Article
from exchange.community import notifications
from exchange.content.library import (
    YAML_STYLE,
    _collect,
    _IndentedDumper,
    _moment,
    _no_progress,
    _parse_yaml,
    _write,
    describe,
)
from exchange.db import db, utcnow
from exchange.endorsements.models import KINDS, Endorsement
from exchange.endorsements.services import NOTE_MAX, STORY_FIELDS, check_story, recount
from exchange.errors import DomainError, Invalid
from exchange.permissions import SYSTEM
from exchange.text import clean_text

FILE = "endorsements.yml"
KEYS = ("article", "by", "kind", "created", "updated", "note", "adopted_on", "status", "outcome")
PERSON_KEYS = ("name", "email", "agency")
HEADER = ("# Endorsements and adoptions of the library's practices, with their notes (exchange content export).\n"
          "# kind: endorse, or adopt (the endorser's agency adopted the practice); agency: the endorser's.\n\n")


@dataclass
class EndorsementReport:
    added: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Endorsements and adoptions: {self.added} added, {self.unchanged} unchanged, "
                f"{len(self.failures)} failed")


def moments(path) -> list[datetime]:
    """Every time the file's readable entries give."""
    try:
        entries = _parse_yaml(Path(path).read_text(encoding="utf-8-sig"), "endorsements")
    except (Invalid, OSError, UnicodeDecodeError):
        return []
    found = []
    for entry in entries if isinstance(entries, list) else []:
        for key in ("created", "updated"):
            try:
                moment = _moment(entry.get(key), key) if isinstance(entry, dict) else None
            except Invalid:
                moment = None
            if moment is not None:
                found.append(moment)
    return found


def load_endorsements(path, progress=None, shift: timedelta = timedelta(0)) -> EndorsementReport:
    """Add the endorsements ``path`` lists that are not there yet; each entry in its own transaction.

    ``shift`` moves their times forward by that much.
    """
    path = Path(path)
    report = EndorsementReport()
    try:
        entries = _parse_yaml(path.read_text(encoding="utf-8-sig"), "endorsements")
    except UnicodeDecodeError:
        entries = None
        report.failures.append(f"{path}: file: not UTF-8 text")
    except Invalid as error:
        report.failures.append(f"{path}: {describe(error)}")
        return report
    if entries is None:
        return report
    if not isinstance(entries, list):
        report.failures.append(f"{path}: endorsements: must be a list of endorsements")
        return report
    loader = _Loader(shift)
    with search.deferred(db.session), notifications.as_history(db.session), \
            (progress or _no_progress)(list(enumerate(entries, 1)), len(entries)) as items:
        for number, entry in items:
            try:
                outcome = loader.load(entry)
            except (DomainError, sa.exc.IntegrityError) as error:
                db.session.rollback()
                article = entry.get("article") if isinstance(entry, dict) else None
                where = f"endorsement {number}" + (f" ({article})" if isinstance(article, str) else "")
                report.failures.append(f"{path}: {where}: {describe(error)}")
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def export_endorsements(directory) -> int:
    """Write ``endorsements.yml``: every endorsement of every published or archived practice; returns how many."""
    rows = db.session.scalars(
        sa.select(Endorsement).join(Article, Article.id == Endorsement.article_id)
        .where(Article.status != "draft")
        .order_by(Article.slug, Endorsement.created_at, Endorsement.id)
    ).all()
    _write(Path(directory) / FILE, endorsements_text(rows))
    return len(rows)


def endorsements_text(rows) -> str:
    entries = [yaml.dump([_entry(row)], Dumper=_IndentedDumper, default_flow_style=None, **YAML_STYLE)
               for row in rows]
    return HEADER + ("\n".join(entries) if entries else "[]\n")


def _entry(row: Endorsement) -> dict:
    entry = {"article": row.article.slug,
             "by": {"name": row.user.name, "email": row.user.email, "agency": row.agency.slug},
             "kind": row.kind, "created": row.created_at.isoformat()}
    if row.updated_at != row.created_at:
        entry["updated"] = row.updated_at.isoformat()
    if row.note:
        entry["note"] = row.note
    if row.adopted_on:
        entry["adopted_on"] = row.adopted_on
    if row.adoption_status:
        entry["status"] = row.adoption_status
    if row.outcome:
        entry["outcome"] = row.outcome
    return entry


class _Loader:
    """One load: agencies by slug and people by email, fetched once."""

    def __init__(self, shift: timedelta):
        self.shift = shift
        self.agencies = {a.slug: a for a in db.session.scalars(sa.select(Agency))}
        self.people: dict[str, User] = {}

    def load(self, entry) -> str:
        if not isinstance(entry, dict):
            raise Invalid("Not a mapping.", {"endorsement": "must be 'key: value' lines"})
        unknown = sorted(str(key) for key in entry if key not in KEYS)
        if unknown:
            raise Invalid("Unknown fields.", {", ".join(unknown): f"unknown field; known: {', '.join(KEYS)}"})
        problems: dict[str, str] = {}
        article = self._article(entry.get("article"), problems)
        email, name, agency = self._by(entry.get("by"), problems)
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            problems["kind"] = "endorse or adopt"
        note = _collect(problems, lambda: clean_text(entry.get("note") or "", "note", max_len=NOTE_MAX).strip())
        created = _collect(problems, lambda: _moment(entry.get("created"), "created"))
        updated = _collect(problems, lambda: _moment(entry.get("updated"), "updated"))
        story = (None, None, "")
        if "kind" not in problems:
            try:
                story = check_story(kind, {key: entry.get(key) for key in STORY_FIELDS})
            except Invalid as error:
                problems.update(error.fields)
        person = self.people.get(email) or (db.session.scalar(sa.select(User).where(User.email == email))
                                            if email else None)
        if person is not None and article is not None and person.id == article.author_id:
            problems["by"] = "the practice's author: endorsements come from others"
        if problems:
            raise Invalid("The endorsement has problems.", problems)
        if person is None:
            person, _ = add_user(SYSTEM, email, name or email.split("@")[0], agency.slug, "member")
            person.password_hash = ""  # unusable: check_password refuses an empty hash
            db.session.commit()
        self.people[email] = person
        exists = db.session.scalar(sa.select(Endorsement.id).where(Endorsement.article_id == article.id,
                                                                    Endorsement.user_id == person.id))
        if exists is not None:
            db.session.commit()
            return "unchanged"
        created = created + self.shift if created else utcnow()
        updated = updated and updated + self.shift
        adopted_on, status, outcome = story
        db.session.add(Endorsement(article_id=article.id, user_id=person.id, agency_id=(agency or person.agency).id,
                                   kind=kind, note=note, created_at=created, updated_at=updated or created,
                                   adopted_on=adopted_on, adoption_status=status, outcome=outcome))
        db.session.flush()
        recount(article)
        db.session.commit()
        return "added"

    def _article(self, slug, problems: dict) -> Article | None:
        if not isinstance(slug, str) or not slug.strip():
            problems["article"] = "required: the practice's slug"
            return None
        article = db.session.scalar(sa.select(Article).where(Article.slug == slug.strip(),
                                                             Article.status != "draft"))
        if article is None:
            problems["article"] = f"no published practice '{slug.strip()}'"
        return article

    def _by(self, by, problems: dict) -> tuple[str, str, Agency | None]:
        """The endorser's email, name and agency (None when the file names none)."""
        if not (isinstance(by, dict) and set(by) <= set(PERSON_KEYS) and isinstance(by.get("email"), str)
                and all(isinstance(by.get(key), (str, type(None))) for key in PERSON_KEYS)):
            problems["by"] = ("a mapping like {name: Ada Byron, email: ada@agency.example, "
                              "agency: the-agency-slug}")
            return "", "", None
        email = _collect(problems, lambda: normalise_email(by["email"]))
        if email is None:
            return "", "", None
        agency = None
        if by.get("agency"):
            agency = self.agencies.get(by["agency"].strip())
            if agency is None:
                problems["agency"] = f"no agency '{by['agency']}' (add it to agencies.yml)"
        elif email not in self.people and db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            problems["agency"] = "required for a person not yet on the Exchange"
        return email, (by.get("name") or "").strip(), agency

