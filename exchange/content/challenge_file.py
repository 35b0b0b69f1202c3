"""``challenges/*.md``: the library's challenges, with their answers, "this helped us" and "same problem".

One Markdown file per challenge, the problem as the body, front matter first::

    ---
    title: Answering residents at weekends
    slug: answering-residents-at-weekends
    agency: kilbrack-municipal-district
    tags: [social media]
    status: answered            # open, answered or closed (draft: the agency's own)
    deadline: 2027-03-31        # optional
    author: {name: Siobhán Byrne, email: siobhan.byrne@kilbrack.example}
    created: '2026-05-01T09:00:00+00:00'
    published: '2026-05-01T09:00:00+00:00'
    outcome: What we did in the end (closed only)
    answers:
      - practice: answering-residents-on-social-media
        by: {name: Tom Ashby, email: tom.ashby@digital-service.example, agency: national-digital-service}
        note: How it applies.
        created: '2026-05-03T10:00:00+00:00'
        helped: Why it helped (set by the asking agency)
        helped_at: '2026-05-20T10:00:00+00:00'
    same_problem:
      - by: {name: ..., email: ..., agency: ...}
        created: '2026-05-04T10:00:00+00:00'
    ---

Loading adds what is missing (a challenge by slug, an answer by practice, a "same problem" by
agency) and leaves what is there, so loading twice changes nothing; a person is found by email or
added as in ``endorsements.yml``. A deadline already past is kept as the file says (history).
An adoption recorded with "this helped us" is an endorsement: it lives in ``endorsements.yml``.
"""
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from exchange import search
from exchange.accounts.models import User
from exchange.accounts.services import add_user
from exchange.articles import rules
from exchange.articles.models import Article
from exchange.challenges import services as challenges
from exchange.challenges.models import STATUSES, Answer, Challenge, SameProblem
from exchange.community import notifications
from exchange.content.endorsement_file import _Loader as _People
from exchange.content.library import FRONT_MATTER, YAML_STYLE, _moment, _parse_yaml, _write, describe
from exchange.db import db, utcnow
from exchange.endorsements.services import recount
from exchange.errors import DomainError, Invalid
from exchange.markdown import render
from exchange.permissions import SYSTEM

FOLDER = "challenges"
KEYS = ("title", "slug", "agency", "tags", "status", "deadline", "author", "created", "published", "closed",
        "outcome", "answers", "same_problem")


def load_challenges(directory, shift: timedelta = timedelta(0)) -> tuple[int, list[str]]:
    """Load ``DIR/challenges/*.md``: returns how many challenges were added and one line per failure."""
    folder = Path(directory) / FOLDER
    added, failures = 0, []
    people = _People(shift)
    # Past events as history (never emailed as news); one index update at the end for the recounted scores.
    with search.deferred(db.session), notifications.as_history(db.session):
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            try:
                added += _load(path, people, shift)
            except (DomainError, sa.exc.IntegrityError) as error:
                db.session.rollback()
                failures.append(f"{path}: {describe(error)}")
    return added, failures


def _read(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8-sig")
    if not FRONT_MATTER.detect(text):
        raise Invalid("No front matter.", {"front matter": "missing: the file must start with a line '---'"})
    head, body = FRONT_MATTER.split(text)
    meta = _parse_yaml(head, "front matter") or {}
    if not isinstance(meta, dict):
        raise Invalid("Front matter is not a mapping.", {"front matter": "must be 'key: value' lines"})
    unknown = sorted(str(key) for key in meta if key not in KEYS)
    if unknown:
        raise Invalid("Unknown fields.", {", ".join(unknown): f"unknown field; known: {', '.join(KEYS)}"})
    meta.setdefault("slug", path.stem)
    return meta, body


def _person(people: _People, by, problems: dict, agency=None) -> User | None:
    if isinstance(by, dict) and agency is not None and "agency" not in by:
        by = {**by, "agency": agency.slug}
    email, name, agency_ = people._by(by, problems)
    if problems:
        return None
    person = people.people.get(email) or db.session.scalar(sa.select(User).where(User.email == email))
    if person is None:
        person, _ = add_user(SYSTEM, email, name or email.split("@")[0], (agency_ or agency).slug, "member")
        person.password_hash = ""  # cannot sign in until they reset it or are invited
    people.people[email] = person
    return person


def _load(path: Path, people: _People, shift: timedelta) -> int:
    meta, body = _read(path)
    problems: dict[str, str] = {}
    agency = people.agencies.get(str(meta.get("agency") or "").strip())
    if agency is None:
        raise Invalid("Unknown agency.", {"agency": f"no agency '{meta.get('agency')}' (add it to agencies.yml)"})
    status = meta.get("status") or "open"
    if status not in STATUSES:
        raise Invalid("Unknown status.", {"status": f"one of {', '.join(STATUSES)}"})
    slug = rules.clean_slug(meta["slug"])
    cleaned = challenges.clean_fields({"title": meta.get("title"), "problem": body, "tags": meta.get("tags")},
                                      required=("title", "problem"))
    deadline = meta.get("deadline")
    if deadline not in (None, "") and not isinstance(deadline, date):
        raise Invalid("Deadline must be a date.", {"deadline": "a date like 2027-03-31"})
    author = _person(people, meta.get("author"), problems, agency)
    if problems:
        raise Invalid("The challenge has problems.", problems)
    challenge = db.session.scalar(sa.select(Challenge).where(Challenge.slug == slug))
    added = 0
    if challenge is None:
        created = _when(meta.get("created"), "created", shift) or utcnow()
        challenge = Challenge(slug=slug, agency=agency, author=author, status=status, deadline=deadline or None,
                              outcome=str(meta.get("outcome") or ""), created_at=created,
                              published_at=_when(meta.get("published"), "published", shift),
                              closed_at=_when(meta.get("closed"), "closed", shift))
        challenge.title, challenge.problem = cleaned["title"], cleaned["problem"]
        rendered = render(challenge.problem)
        challenge.html, challenge.text = rendered.html, rendered.text
        challenge.tags = challenges._tags(cleaned["tags"])
        challenge.updated_at = created
        db.session.add(challenge)
        db.session.flush()
        added = 1
    helped = set()
    for number, entry in enumerate(meta.get("answers") or [], 1):
        helped |= _answer(challenge, entry, number, people, shift)
    for number, entry in enumerate(meta.get("same_problem") or [], 1):
        _same(challenge, entry, number, people, shift)
    db.session.flush()
    for article in helped:
        recount(article)
    db.session.commit()
    return added


def _when(value, name: str, shift: timedelta):
    moment = _moment(value, name)
    return moment + shift if moment else None


def _answer(challenge: Challenge, entry, number: int, people: _People, shift: timedelta) -> set:
    if not isinstance(entry, dict) or not isinstance(entry.get("practice"), str):
        raise Invalid("Bad answer.", {f"answers {number}": "needs practice: the slug of a published practice"})
    article = db.session.scalar(sa.select(Article).where(Article.slug == entry["practice"].strip(),
                                                         Article.status == "published"))
    if article is None:
        raise Invalid("Bad answer.", {f"answers {number}": f"no published practice '{entry['practice']}'"})
    problems: dict[str, str] = {}
    person = _person(people, entry.get("by"), problems)
    if problems:
        raise Invalid("Bad answer.", {f"answers {number} {k}": v for k, v in problems.items()})
    exists = db.session.scalar(sa.select(Answer.id).where(Answer.challenge_id == challenge.id,
                                                          Answer.article_id == article.id))
    if exists is not None:
        return set()
    created = _when(entry.get("created"), "created", shift) or utcnow()
    row = Answer(challenge=challenge, article=article, author=person, agency_id=person.agency_id,
                 note=str(entry.get("note") or ""), created_at=created)
    if entry.get("helped"):
        row.helped_why = str(entry["helped"])
        row.helped_at = _when(entry.get("helped_at"), "helped_at", shift) or created
        row.helped_by_id = challenge.author_id
    db.session.add(row)
    return {article} if row.helped_at else set()


def _same(challenge: Challenge, entry, number: int, people: _People, shift: timedelta) -> None:
    problems: dict[str, str] = {}
    person = _person(people, entry.get("by") if isinstance(entry, dict) else None, problems)
    if problems:
        raise Invalid("Bad entry.", {f"same_problem {number} {k}": v for k, v in problems.items()})
    db.session.flush()
    exists = db.session.scalar(sa.select(SameProblem.id).where(SameProblem.challenge_id == challenge.id,
                                                               SameProblem.agency_id == person.agency_id))
    if exists is None:
        db.session.add(SameProblem(challenge_id=challenge.id, agency_id=person.agency_id, user_id=person.id,
                                   created_at=_when(entry.get("created"), "created", shift) or utcnow()))
        db.session.flush()
        challenges._recount(challenge)


# Export ------------------------------------------------------------------------------------------

def export_challenges(directory) -> int:
    """Write one file per challenge (every status) into ``DIR/challenges/``; returns how many."""
    rows = db.session.scalars(sa.select(Challenge).order_by(Challenge.slug)).all()
    if rows:
        (Path(directory) / FOLDER).mkdir(parents=True, exist_ok=True)
    for challenge in rows:
        _write(Path(directory) / FOLDER / f"{rules.clean_part(challenge.slug)}.md", challenge_text(challenge))
    return len(rows)


def _by(user: User) -> dict:
    return {"name": user.name, "email": user.email, "agency": user.agency.slug}


def challenge_text(challenge: Challenge) -> str:
    """A challenge as a Markdown file: front matter in a fixed key order, then the problem."""
    meta = {"title": challenge.title, "slug": rules.clean_part(challenge.slug), "agency": challenge.agency.slug,
            "tags": [t.name for t in sorted(challenge.tags, key=lambda t: t.slug)], "status": challenge.status}
    if challenge.deadline:
        meta["deadline"] = challenge.deadline
    meta["author"] = {"name": challenge.author.name, "email": challenge.author.email}
    meta["created"] = challenge.created_at.isoformat()
    for key, value in (("published", challenge.published_at), ("closed", challenge.closed_at)):
        if value is not None:
            meta[key] = value.isoformat()
    if challenge.outcome:
        meta["outcome"] = challenge.outcome
    answers = db.session.scalars(sa.select(Answer).join(Article, Article.id == Answer.article_id).where(
        Answer.challenge_id == challenge.id, Article.status == "published").order_by(Answer.created_at, Answer.id))
    entries = []
    for row in answers:
        entry = {"practice": row.article.slug, "by": _by(row.author), "note": row.note,
                 "created": row.created_at.isoformat()}
        if row.helped_at:
            entry.update(helped=row.helped_why, helped_at=row.helped_at.isoformat())
        entries.append(entry)
    if entries:
        meta["answers"] = entries
    same = challenges.same_problem_agencies(challenge)
    if same:
        meta["same_problem"] = [{"by": _by(v.user), "created": v.created_at.isoformat()} for v in same]
    head = FRONT_MATTER.export(meta, default_flow_style=None, **YAML_STYLE)
    return f"---\n{head}\n---\n\n{challenge.problem}\n"
