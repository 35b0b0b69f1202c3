"""``--full``: what the Markdown files do not hold (every revision, endorsement and comment), as a JSON
sidecar next to them, and the articles' uploaded files in ``files/<sha256>``, so a move between servers
loses nothing.

``full.json`` names people by email (with their name and agency); loading it adds the people
missing (members who cannot sign in until they set a password) and restores the history only of
articles the same load created, so loading twice changes nothing.
"""
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from exchange.accounts.models import User
from exchange.accounts.services import add_user, normalise_email
from exchange.articles.models import Article, Revision
from exchange.community.models import Comment
from exchange.db import db
from exchange.endorsements.models import Endorsement
from exchange.endorsements.services import recount
from exchange.errors import Invalid
from exchange.files.services import content as file_content
from exchange.files.services import files_of, restore_file
from exchange.markdown import comment_links, render_comment
from exchange.permissions import SYSTEM

SIDECAR = "full.json"
FILES = "files"  # the uploads' bytes, one file per content hash


def export_full(directory) -> None:
    """Write ``full.json``: per article, its revisions, endorsements and comments; and who they are by."""
    people: dict[str, dict] = {}

    def person(user: User) -> str:
        people[user.email] = {"name": user.name, "agency": user.agency.slug}
        return user.email

    articles = {}
    for article in db.session.scalars(sa.select(Article).order_by(Article.slug)):
        articles[article.slug] = {
            "revisions": [_revision(r, person) for r in db.session.scalars(
                sa.select(Revision).where(Revision.article_id == article.id).order_by(Revision.number))],
            "endorsements": [_endorsement(e, person) for e in db.session.scalars(
                sa.select(Endorsement).where(Endorsement.article_id == article.id)
                .order_by(Endorsement.created_at, Endorsement.id))],
            "comments": _comments(article, person),
            "files": _files(article, person, Path(directory) / FILES),
        }
    record = {"format": 1, "people": dict(sorted(people.items())), "articles": articles}
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=False)
    (Path(directory) / SIDECAR).write_text(text + "\n", encoding="utf-8", newline="\n")


def load_full(directory, fresh: set[str]) -> int:
    """Restore the history in ``full.json`` of the articles in ``fresh`` (created by this load); returns how many."""
    record = json.loads((Path(directory) / SIDECAR).read_text(encoding="utf-8"))
    people = {email: _person(email, **who) for email, who in record.get("people", {}).items()}
    restored = 0
    for slug, history in record.get("articles", {}).items():
        if slug not in fresh:
            continue
        article = db.session.scalar(sa.select(Article).where(Article.slug == slug))
        _restore_revisions(article, history["revisions"], people)
        _restore_endorsements(article, history["endorsements"], people)
        _restore_comments(article, history["comments"], people)
        _restore_files(article, history.get("files", []), people, Path(directory) / FILES)
        db.session.commit()
        restored += 1
    return restored


def _revision(revision: Revision, person) -> dict:
    return {"number": revision.number, "title": revision.title, "summary": revision.summary, "body": revision.body,
            "tags": json.loads(revision.tags_json), "meta": json.loads(revision.meta_json),
            "author": person(revision.author), "change_note": revision.change_note,
            "created_at": revision.created_at.isoformat()}


def _endorsement(endorsement: Endorsement, person) -> dict:
    return {"by": person(endorsement.user), "kind": endorsement.kind, "note": endorsement.note,
            "created_at": endorsement.created_at.isoformat(), "updated_at": endorsement.updated_at.isoformat()}


def _comments(article: Article, person) -> list[dict]:
    rows = db.session.scalars(sa.select(Comment).where(Comment.article_id == article.id).order_by(Comment.id)).all()
    number = {comment.id: n for n, comment in enumerate(rows, 1)}  # ids of this server mean nothing on the next
    return [{"number": number[c.id], "parent": number.get(c.parent_id), "by": person(c.author), "body": c.body,
             "status": c.status, "created_at": c.created_at.isoformat(),
             "edited_at": c.edited_at.isoformat() if c.edited_at else None} for c in rows]


def _files(article: Article, person, folder: Path) -> list[dict]:
    entries = []
    for stored in files_of(article):
        path = folder / stored.hash
        if not path.exists():
            folder.mkdir(exist_ok=True)
            path.write_bytes(file_content(stored))
        entries.append({"hash": stored.hash, "name": stored.name, "content_type": stored.content_type,
                        "kind": stored.kind, "by": person(stored.uploader)})
    return entries


def _restore_files(article: Article, files: list[dict], people: dict, folder: Path) -> None:
    for entry in files:
        data = (folder / entry["hash"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["hash"]:
            raise Invalid(f"{folder / entry['hash']} does not hold the file exported under that hash.",
                          {"files": "changed since the export"})
        restore_file(article, people[entry["by"]], data, entry["name"], entry["content_type"], entry["kind"])


def _person(email: str, name: str, agency: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        user, _ = add_user(SYSTEM, email, name, agency, "member")
        user.password_hash = ""  # cannot sign in until a password is set
        db.session.commit()
    return user


def _restore_revisions(article: Article, revisions: list[dict], people: dict) -> None:
    db.session.execute(sa.delete(Revision).where(Revision.article_id == article.id))
    for r in revisions:
        db.session.add(Revision(article_id=article.id, number=r["number"], title=r["title"], summary=r["summary"],
                                body=r["body"], tags_json=json.dumps(r["tags"]), meta_json=json.dumps(r["meta"]),
                                author_id=people[r["author"]].id, change_note=r["change_note"],
                                created_at=_moment(r["created_at"])))
    if revisions:
        article.revision = revisions[-1]["number"]


def _restore_endorsements(article: Article, endorsements: list[dict], people: dict) -> None:
    for e in endorsements:
        user = people[e["by"]]
        db.session.add(Endorsement(article_id=article.id, user_id=user.id, agency_id=user.agency_id, kind=e["kind"],
                                   note=e["note"], created_at=_moment(e["created_at"]),
                                   updated_at=_moment(e["updated_at"])))
    db.session.flush()
    recount(article)


def _restore_comments(article: Article, comments: list[dict], people: dict) -> None:
    made: dict[int, Comment] = {}
    for c in comments:
        parent = made.get(c["parent"])
        comment = Comment(article_id=article.id, author_id=people[c["by"]].id,
                          parent_id=parent.id if parent else None, body=c["body"], html=render_comment(c["body"]),
                          has_link=bool(comment_links(c["body"])), status=c["status"],
                          created_at=_moment(c["created_at"]), updated_at=_moment(c["created_at"]),
                          edited_at=_moment(c["edited_at"]) if c["edited_at"] else None)
        db.session.add(comment)
        db.session.flush()
        made[c["number"]] = comment


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
