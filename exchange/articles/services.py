"""Writing articles: create, edit, publish, archive, restore. Every content change is a revision."""
import json
import re

import sqlalchemy as sa

from exchange import audit
from exchange.accounts.models import Agency, User
from exchange.articles import checks, rules
from exchange.articles.autosave import clear_working_copy
from exchange.articles.links import link_keys as _link_keys
from exchange.articles.links import refresh_links_to as _refresh_links_to
from exchange.articles.links import render as _render
from exchange.articles.models import Article, ArticleLink, Revision, Tag
from exchange.articles.starters import DEFAULT_POLICY
from exchange.db import MAX_INT, db, utcnow
from exchange.errors import Conflict, Forbidden, Invalid, NotFound
from exchange.permissions import (
    Actor,
    can_change_policy,
    can_change_status,
    can_view,
    can_view_unpublished,
    member_of,
    require_edit,
    require_member,
    require_verified,
)

CONTENT_FIELDS = ("title", "summary", "body", "tags", "kind", "evidence_level", "stage", "review_by", "edit_policy")
META_FIELDS = ("kind", "evidence_level", "stage", "review_by", "edit_policy")

SLUG_SHAPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a public slug: drafts are never originals


def get_article(viewer: Actor, slug: str) -> Article:
    """The article with this slug, if ``viewer`` may see it; a hidden draft does not exist."""
    article = db.session.scalar(sa.select(Article).where(Article.slug == slug))
    if article is None or not can_view(viewer, article):
        raise NotFound("There is no article at this address.")
    return article


def agency_article(slug: str, agency: Agency) -> Article | None:
    """The agency's article whose clean slug is ``slug`` (a content file's): published once, or a draft."""
    private = Article.slug.startswith(f"{slug}{rules.PRIVATE_MARK}", autoescape=True)  # LIKE: any collation
    return db.session.scalar(sa.select(Article).where(
        Article.agency_id == agency.id, sa.or_(Article.slug == slug, private)).order_by(Article.slug).limit(1))


def create_article(actor: Actor, fields: dict, agency: Agency | None = None, slug: str | None = None) -> Article:
    """Write a new case study or playbook as the first revision (draft or published)."""
    return create_articles([(actor, fields, agency, slug)])[0]


def create_articles(drafts) -> list[Article]:
    """Several new articles, each as ``create_article`` makes it, in one transaction (loading a library).

    ``drafts``: (actor, fields, agency or None, slug or None) each. A refusal of any refuses all.
    """
    tags: dict[str, Tag] = {}
    made = [(_new_article(actor, fields, agency, slug, tags), actor, fields) for actor, fields, agency, slug in drafts]
    db.session.flush()
    keys = set()
    for article, actor, fields in made:
        _save_revision(article, actor, fields.get("change_note") or "Created")
        if article.status == "published":
            keys |= _link_keys(article)
    _refresh_links_to([article for article, _, _ in made], keys)
    db.session.commit()
    return [article for article, _, _ in made]


def _new_article(actor: Actor, fields: dict, agency: Agency | None, slug: str | None, tags: dict) -> Article:
    """A new article, whole but not yet flushed: the flush that inserts it (and tells followers of
    its topics) must already see its tags, and one INSERT beats an INSERT and three UPDATEs."""
    require_member(actor)
    original = original_named(fields)
    cleaned = rules.clean_fields(fields, required=("title", "kind", "summary"))
    if cleaned.get("status") == "published":
        checks.require_filled(cleaned["kind"], cleaned.get("body", ""))
    agency = agency or actor.agency
    if not member_of(actor, agency.id):
        raise Forbidden("You may only write articles for your own agency.")
    if cleaned.get("status", "draft") != "draft":
        require_verified(actor)
    with db.session.no_autoflush:
        article = Article(
            slug=_claim_slug(rules.clean_slug(slug) if slug else rules.base_slug(cleaned["title"]), agency.id,
                             public=cleaned.get("status", "draft") != "draft", explicit=bool(slug)),
            kind=cleaned["kind"],
            agency=agency,
            author=actor,
            status=cleaned.get("status", "draft"),
            edit_policy=cleaned.get("edit_policy") or DEFAULT_POLICY[cleaned["kind"]],
            revision=1,
        )
        _apply(article, cleaned, tags)
        if original is not KEEP:
            article.based_on = original
        if article.status == "published":
            article.published_at = article.created_at = utcnow()
        db.session.add(article)
    return article


def update_article(actor: Actor, article: Article, fields: dict, base_revision, change_note: str = "",
                   archive_reason: str | None = None) -> Article:
    """Save an edit made on top of ``base_revision``; a stale base is a Conflict, never an overwrite.

    Publishing checks the body (``checks``); archiving with ``archive_reason`` (a string) requires one.
    """
    require_edit(actor, article)
    original = original_named(fields, article)
    cleaned = rules.clean_fields(fields)
    base = _check_base(base_revision)
    changed = {k: v for k, v in cleaned.items() if k in CONTENT_FIELDS and _differs(article, k, v)}
    rebased = original is not KEEP and (original.id if original else None) != article.based_on_id
    status = cleaned.get("status")
    if not changed and not rebased and status in (None, article.status):
        if base != article.revision:
            _raise_conflict(article, base)
        return article
    if "edit_policy" in changed and not can_change_policy(actor, article):
        raise Forbidden("Only the author or an admin may change the edit policy.")
    if status and status != article.status:
        require_status_change(actor, article)
        change_note = rules.clean_line(change_note or "", "change_note", max_len=300)
    becomes = status if status is not None else article.status
    if becomes == "published" and ({"body", "kind"} & changed.keys() or becomes != article.status):
        checks.require_filled(changed.get("kind", article.kind), changed.get("body", article.body))
    reason = _archive_reason(article, status, archive_reason)
    _claim_revision(article, base)
    before = (article.status == "published", _link_keys(article))
    _apply(article, changed)
    if rebased:
        article.based_on = original
    if status and status != article.status:
        change_note = _join_notes(_set_status(article, status, actor, reason), change_note)
    _save_revision(article, actor, change_note)
    clear_working_copy(actor, article)  # the edit autosave kept is saved now
    relink = "title" in changed or before[0] != (article.status == "published")
    _refresh_links_to(article, before[1] | _link_keys(article) if relink else set())
    db.session.commit()
    return article


def publish(actor: Actor, article: Article) -> Article:
    """Make a draft visible to everyone, once its sections are filled in (``checks``)."""
    return _change_status(actor, article, "published")


def require_publishable(fields: dict) -> None:
    """Refuse (422) a would-be publication whose body keeps unfilled template sections; changes nothing."""
    cleaned = rules.clean_fields(fields, required=("kind",))
    checks.require_filled(cleaned["kind"], cleaned.get("body", ""))


def publishing_check(actor: Actor, article: Article) -> list[str]:
    """What stops this article being published now, one message per unfilled section (none: it may be)."""
    require_status_change(actor, article)
    return [each.message for each in checks.unfilled_sections(article.kind, article.body)]


def archive(actor: Actor, article: Article, reason: str | None = None) -> Article:
    """Withdraw an article: out of lists, search and feeds; its page stays with a banner saying why.

    ``reason`` is what the banner says: a person withdrawing it gives one; ``None`` (content
    loading, moderation) records none.
    """
    return _change_status(actor, article, "archived", reason)


def unarchive(actor: Actor, article: Article) -> Article:
    """Put a withdrawn article back: published again (or a draft, if it never was published)."""
    if article.status != "archived":
        raise Conflict("This article is not withdrawn.", {"status": "not archived"})
    return _change_status(actor, article, "published" if article.published_at else "draft")


def require_deletable(actor: Actor, article: Article) -> None:
    """Refuse unless ``actor`` may delete this article: a never-published draft of their agency (or as admin)."""
    require_status_change(actor, article)
    if article.status != "draft" or article.published_at is not None:
        raise Conflict("Only a draft that was never published can be deleted; withdraw a published article instead.",
                       {"status": "not a never-published draft"})


def delete_draft(actor: Actor, article: Article) -> None:
    """Delete a draft that was never published, with its history; an audit entry remembers it."""
    require_deletable(actor, article)
    audit.record(actor, "article.delete_draft", "article", article.slug,
                 f"“{article.title}” ({article.agency.name}), {article.revision} revision(s)")
    db.session.delete(article)
    db.session.commit()


def _change_status(actor: Actor, article: Article, status: str, reason: str | None = None) -> Article:
    """A status change on its own, as a new revision that says so."""
    require_edit(actor, article)
    require_status_change(actor, article)
    if article.status == status:
        return article
    if status == "published":
        checks.require_filled(article.kind, article.body)
    reason = _archive_reason(article, status, reason)
    was_published = article.status == "published"
    _claim_revision(article, article.revision)
    _save_revision(article, actor, _set_status(article, status, actor, reason))
    _refresh_links_to(article, _link_keys(article) if was_published != (status == "published") else set())
    db.session.commit()
    return article


def _archive_reason(article: Article, status: str | None, reason: str | None) -> str | None:
    """The reason for withdrawing, cleaned: required when one is asked for (``reason`` is not None)."""
    if status != "archived" or article.status == "archived" or reason is None:
        return None
    if not isinstance(reason, str):
        raise Invalid("The reason must be text.", {"archive_reason": "must be text"})
    cleaned = rules.clean_line(reason, "archive_reason", max_len=rules.MAX_REASON_LENGTH)
    if not cleaned:
        raise Invalid("Say why you are withdrawing this practice: readers will see it on the page.",
                      {"archive_reason": "required"})
    return cleaned


def restore_revision(actor: Actor, article: Article, number, base_revision, change_note: str = "") -> Article:
    """Bring back an old revision's content as a new revision."""
    old = get_revision(actor, article, number)
    fields = {"title": old.title, "summary": old.summary, "body": old.body, "tags": old.tags, **old.meta}
    note = change_note or f"Restored revision {old.number}"
    return update_article(actor, article, fields, base_revision, note)


def get_revision(viewer: Actor, article: Article, number) -> Revision:
    """One numbered revision of an article the viewer may see."""
    if not can_view(viewer, article):
        raise NotFound("There is no article at this address.")
    revision = db.session.scalar(sa.select(Revision).where(
        Revision.article_id == article.id, Revision.number == _as_int(number, "revision")))
    if revision is None or not (revision.public or can_view_unpublished(viewer, article)):
        raise NotFound(f"Revision {number} does not exist.")
    return revision


def list_revisions(viewer: Actor, article: Article) -> list[Revision]:
    """Every revision the viewer may see, newest first: the public ones, or all for the owning agency."""
    if not can_view(viewer, article):
        raise NotFound("There is no article at this address.")
    query = sa.select(Revision).where(Revision.article_id == article.id).order_by(Revision.number.desc())
    if not can_view_unpublished(viewer, article):
        query = query.where(Revision.public)
    return list(db.session.scalars(query))


def backlinks(article: Article) -> list[Article]:
    """Published articles that link here."""
    return list(db.session.scalars(
        sa.select(Article).join(ArticleLink, ArticleLink.source_id == Article.id)
        .where(ArticleLink.target_slug == article.slug, Article.status == "published")
        .order_by(Article.title)))


# Internals --------------------------------------------------------------------

def _as_int(value, field) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{field.capitalize()} {value!r} does not exist.") from None


def _check_base(base_revision) -> int:
    """A revision number, from a form (text) or JSON (a whole number), within what the database holds."""
    if isinstance(base_revision, float) and base_revision.is_integer():
        base_revision = int(base_revision)  # JSON's 3.0 is the whole number 3
    wanted = isinstance(base_revision, (int, str)) and not isinstance(base_revision, bool)
    text = str(base_revision).strip() if wanted else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_INT:
        raise Invalid("base_revision is required: the revision your edit started from.",
                      {"base_revision": "the revision number your edit started from"})
    return int(text)


def _claim_revision(article: Article, base: int) -> None:
    """Move the article from ``base`` to the next revision atomically, or raise Conflict."""
    claimed = db.session.execute(
        sa.update(Article).where(Article.id == article.id, Article.revision == base)
        # The database adds one to the row it matched: base + 1 as a parameter would be past INTEGER
        # for base = MAX_INT (an error on PostgreSQL even when no row matches).
        .values(revision=Article.revision + 1).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(article)
        _raise_conflict(article, base)
    article.revision = base + 1
    db.session.flush()


def _raise_conflict(article: Article, base: int):
    raise Conflict(
        f"This article changed since you started editing (you started from revision {base}; "
        f"it is now at revision {article.revision}).",
        current_revision=article.revision,
    )


KEEP = object()  # "based_on" not given: leave it as it is


def original_named(fields: dict, article: Article | None = None):
    """The article ``fields["based_on"]`` (a slug) names as the one this adapts; None to clear; KEEP when absent.

    Only a published (or withdrawn) practice can be an original, never a draft and never the article itself.
    """
    if "based_on" not in fields:
        return KEEP
    value = fields["based_on"]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise Invalid("based_on must be the address (slug) of a published practice.", {"based_on": "a slug"})
    slug = value.strip().removeprefix("/articles/").strip("/")
    # Only a well-formed slug can name one: anything else (a NUL, which PostgreSQL refuses, or any
    # other text) is refused here like a missing practice, without asking the database.
    well_formed = len(slug) <= rules.MAX_SLUG_LENGTH and SLUG_SHAPE.fullmatch(slug) is not None
    original = db.session.scalar(sa.select(Article).where(Article.slug == slug, Article.status != "draft")) \
        if well_formed else None
    if original is None:  # a draft is refused like a missing one: to outsiders it does not exist
        raise Invalid(f"There is no published practice '{slug[:100]}' to base this on.",
                      {"based_on": "the slug of a published practice"})
    if article is not None and original.id == article.id:
        raise Invalid("An article cannot be based on itself.", {"based_on": "another practice's slug"})
    return original


def _differs(article: Article, field: str, value) -> bool:
    if field == "tags":
        return sorted(slug for slug, _ in value) != sorted(t.slug for t in article.tags)
    return getattr(article, field) != value


def _apply(article: Article, cleaned: dict, known_tags: dict | None = None) -> None:
    for field in ("title", "summary", "body", "kind", "evidence_level", "stage", "review_by", "edit_policy"):
        if field in cleaned:
            setattr(article, field, cleaned[field])
    if article.kind != "case_study":
        article.evidence_level = None
    if "tags" in cleaned:
        article.tags = _tags(cleaned["tags"], {} if known_tags is None else known_tags)
    if "body" in cleaned or article.html == "":
        _render(article)
    article.updated_at = utcnow()


def _tags(pairs: list[tuple[str, str]], known: dict[str, Tag]) -> list[Tag]:
    """The tags of these (slug, name) pairs, made when new; ``known`` keeps those met so far (unflushed too)."""
    wanted = [slug for slug, _ in pairs if slug not in known]
    if wanted:
        known.update((t.slug, t) for t in db.session.scalars(sa.select(Tag).where(Tag.slug.in_(wanted))))
    for slug, name in pairs:
        if slug not in known:
            known[slug] = Tag(slug=slug, name=name.lower() if name.isupper() else name)
            db.session.add(known[slug])
    return [known[slug] for slug, _ in pairs]


def require_status_change(actor: Actor, article: Article) -> None:
    """Refuse unless ``actor`` may publish, withdraw or delete this article (its agency's staff, admins)."""
    require_verified(actor)
    if not can_change_status(actor, article):
        raise Forbidden(f"Only staff of {article.agency.name} and admins may change this article's status "
                        "(publish, back to draft, archive).")


def _set_status(article: Article, status: str, actor: Actor = None, reason: str | None = None) -> str:
    """Change the status; returns the line its revision's change note starts with."""
    note = f"Status changed from {article.status} to {status}."
    if status != "draft" and rules.is_private(article.slug):
        # Seen by everyone for the first time: it takes a public address (its draft address goes).
        article.slug = _claim_slug(rules.clean_part(article.slug), article.agency_id, public=True,
                                   article_id=article.id)
    article.status = status
    if status == "published":
        # The revision it is published at becomes public with it; the earlier ones stay private.
        db.session.execute(sa.update(Revision).where(Revision.article_id == article.id,
                                                     Revision.number == article.revision).values(public=True))
    if status == "published" and article.published_at is None:
        article.published_at = utcnow()
    if status == "archived":
        article.archived_at, article.archive_reason = utcnow(), reason or ""
        article.archived_by_id = getattr(actor, "id", None)
        note = f"{note} Why: {reason}"[:300] if reason else note
    else:
        article.archived_at, article.archived_by_id, article.archive_reason = None, None, ""
    article.updated_at = utcnow()
    return note


def _join_notes(*notes: str) -> str:
    return " ".join(note.strip() for note in notes if note and note.strip())[:300]


def _claim_slug(clean: str, agency_id: int, *, public: bool, explicit: bool = False,
                article_id: int | None = None) -> str:
    """The address of an article of this agency: ``clean`` if free, else the first free ``clean-2``...

    Taken are the clean slugs of the agency's own articles and, for an address everyone sees
    (``public``), every public address; never another agency's draft, so that no address tells an
    outsider a draft exists. A draft's address is private: its clean slug and a random part.
    """
    taken = _taken_near(clean, agency_id, public, article_id)
    if clean in taken:
        if explicit:
            raise Conflict(f"The slug “{clean}” is taken by another article.", {"slug": "taken"})
        n = 2
        while f"{clean}-{n}" in taken:
            n += 1
        clean = f"{clean}-{n}"
    return clean if public else _private_slug(clean)


def _taken_near(clean: str, agency_id: int, public: bool, article_id: int | None) -> set[str]:
    """The clean slugs ``clean`` and ``clean-...`` that this agency's article may not take."""
    # A range, not LIKE, so the unique index on slug does the work.
    rows = db.session.execute(sa.select(Article.id, Article.slug, Article.agency_id).where(sa.or_(
        Article.slug == clean, sa.and_(Article.slug > f"{clean}-", Article.slug < f"{clean}-\uffff"))))
    return {rules.clean_part(slug) for id_, slug, owner in rows
            if id_ != article_id and (owner == agency_id or (public and not rules.is_private(slug)))}


def _private_slug(clean: str) -> str:
    while True:
        slug = rules.private_slug(clean)
        if db.session.scalar(sa.select(Article.id).where(Article.slug == slug)) is None:
            return slug


def _save_revision(article: Article, actor: User, change_note: str) -> Revision:
    meta = {f: (str(getattr(article, f)) if f == "review_by" and article.review_by else getattr(article, f))
            for f in META_FIELDS}
    revision = Revision(
        article_id=article.id,
        number=article.revision,
        title=article.title,
        summary=article.summary,
        body=article.body,
        # by slug, as the article's tags read back from the database: never in the order typed
        tags_json=json.dumps([t.name for t in sorted(article.tags, key=lambda tag: tag.slug)]),
        meta_json=json.dumps(meta),
        author_id=actor.id,
        change_note=rules.clean_line(change_note or "", "change_note", max_len=300),
        public=article.status == "published",
    )
    db.session.add(revision)
    return revision
