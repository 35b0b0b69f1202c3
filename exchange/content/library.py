"""The Markdown library in content/: load it into the database (upsert by slug) and export it back.

Format: ``agencies.yml`` (a list of agencies) and one Markdown file per article under
``case-studies/`` and ``playbooks/``, YAML front matter first. The body is everything after
the closing ``---`` line with leading and trailing blank lines dropped, exactly as the
article rules store it, so export then load reproduces every article.
"""
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import frontmatter
import sqlalchemy as sa
import yaml

from exchange import search
from exchange.accounts.models import Agency, User
from exchange.accounts.services import add_agency, add_user, normalise_email
from exchange.articles import rules
from exchange.articles.models import Article, Revision
from exchange.articles.services import (
    agency_article,
    archive,
    create_article,
    create_articles,
    original_named,
    update_article,
)
from exchange.articles.starters import DEFAULT_POLICY
from exchange.community import notifications
from exchange.db import db
from exchange.errors import DomainError, Invalid
from exchange.migrate import refresh_statistics
from exchange.permissions import SYSTEM

FOLDERS = {"case_study": "case-studies", "playbook": "playbooks"}
KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
ARTICLE_KEYS = ("title", "slug", "kind", "agency", "tags", "summary", "evidence_level", "stage", "status",
                "archive_reason", "edit_policy", "based_on", "review_by", "author", "created", "published")
TEXT_KEYS = ("title", "slug", "kind", "agency", "summary", "stage", "status", "archive_reason", "edit_policy")
AGENCY_KEYS = ("slug", "name", "acronym", "level", "country", "domains")
CONTENT_USER_NAME = "Content team"
# Only a line of dashes ends the front matter: the stock pattern's \s* would swallow the body's
# leading blank and indented lines.
FRONT_MATTER = frontmatter.YAMLHandler(fm_boundary=re.compile(r"^-{3,}[ \t]*$", re.MULTILINE))
BATCH = 100  # new articles created in one transaction
# The planner's statistics are refreshed each time the articles created double, from this many: a load
# into an empty database otherwise keeps the plans made for an empty table. On PostgreSQL each lookup
# by slug then read the whole table (cached plans of an "empty" table), and 100,000 articles took 48
# minutes, most of them in those reads; autovacuum, where it runs, analyses only between loads' commits.
FIRST_ANALYZE = 500
YAML_STYLE = {"sort_keys": False, "allow_unicode": True, "width": 100_000}


@dataclass
class LoadReport:
    """What a load did: counts of articles, agencies added, and one line per failure."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    agencies_added: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.failed} failed"


def has_articles() -> bool:
    """Whether the database holds any article at all (any status)."""
    return db.session.scalar(sa.select(Article.id).limit(1)) is not None


def article_slugs() -> set[str]:
    """The slug of every article in the database."""
    return set(db.session.scalars(sa.select(Article.slug)))


def article_paths(directory: Path) -> list[Path]:
    """Every article file of a library, case studies first, each folder in name order."""
    return [path for folder in FOLDERS.values() for path in sorted((directory / folder).rglob("*.md"))
            if not path.name.startswith(".")]


def load_directory(directory, progress=None, shift: timedelta = timedelta(0)) -> LoadReport:
    """Load agencies.yml and every article file; each file in its own transaction, failures reported.

    ``shift`` moves every date the files give (created, published, review_by) forward by that much.
    """
    directory = Path(directory)
    loader = _Loader(directory, shift)
    if (directory / "agencies.yml").is_file():
        loader.load_agencies(directory / "agencies.yml")
    paths = article_paths(directory)
    # One index update at the end instead of one per article: several times faster with Whoosh.
    # Past events are loaded as history: notified on the site, never emailed as news.
    with search.deferred(db.session), notifications.as_history(db.session), \
            (progress or _no_progress)(paths, len(paths)) as items:
        for path in items:
            loader.load_article(path)
        loader.create_waiting()
        loader.link_adaptations()
    return loader.report


def moments(directory) -> list[datetime]:
    """Every creation and publication time the library's readable article files give."""
    found = []
    for path in article_paths(Path(directory)):
        try:
            fields = read_article(path, KIND_OF_FOLDER[path.relative_to(directory).parts[0]])
            found += [m for key in ("created", "published") if (m := _moment(fields.get(key), key)) is not None]
        except (Invalid, OSError):
            continue  # the load itself names the file and its problem
    return found


def read_article(path: Path, folder_kind: str) -> dict:
    """An article file's front matter and body; Invalid naming the field when it cannot be read.

    The folder gives the kind when the front matter does not, and must agree when it does.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("The file is not UTF-8 text.", {"file": "not UTF-8 text"}) from None
    if not FRONT_MATTER.detect(text):
        raise Invalid("No front matter.", {"front matter": "missing: the file must start with a line '---'"})
    try:
        head, body = FRONT_MATTER.split(text)
    except ValueError:
        raise Invalid("Front matter not closed.", {"front matter": "no closing '---' line"}) from None
    meta = _parse_yaml(head, "front matter")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise Invalid("Front matter is not a mapping.", {"front matter": "must be 'key: value' lines"})
    unknown = sorted(str(key) for key in meta if key not in ARTICLE_KEYS)
    if unknown:
        raise Invalid("Unknown fields.", {", ".join(unknown): f"unknown field; known: {', '.join(ARTICLE_KEYS)}"})
    meta.setdefault("slug", path.stem)
    meta.setdefault("kind", folder_kind)
    if isinstance(meta["kind"], str) and meta["kind"] in FOLDERS and meta["kind"] != folder_kind:
        kind = meta["kind"].replace("_", " ")
        raise Invalid("Wrong folder.", {"kind": f"a {kind} belongs in {FOLDERS[meta['kind']]}/"})
    return {**meta, "body": body}


def export_directory(directory, progress=None) -> int:
    """Write agencies.yml and one file per article (every status); returns the number of articles."""
    directory = Path(directory)
    for folder in FOLDERS.values():
        (directory / folder).mkdir(parents=True, exist_ok=True)
    agencies = db.session.scalars(sa.select(Agency).order_by(Agency.slug))
    _write(directory / "agencies.yml", agencies_text(agencies))
    total = db.session.scalar(sa.select(sa.func.count(Article.id)))
    articles = db.session.scalars(sa.select(Article).order_by(Article.slug).execution_options(yield_per=200))
    written = set()
    with (progress or _no_progress)(articles, total) as items:
        for article in items:
            path = directory / FOLDERS[article.kind] / f"{rules.clean_part(article.slug)}.md"
            if path in written:  # drafts of several agencies may share a clean slug; the file says whose
                path = path.with_suffix(f".{article.agency.slug}.md")
            written.add(path)
            _write(path, article_text(article))
    return total


def article_text(article: Article) -> str:
    """An article as a Markdown file: front matter in a fixed key order, then the body."""
    meta = {"title": article.title, "slug": rules.clean_part(article.slug), "kind": article.kind,
            "agency": article.agency.slug, "tags": article.tag_names, "summary": article.summary}
    if article.evidence_level is not None:
        meta["evidence_level"] = article.evidence_level
    if article.stage:
        meta["stage"] = article.stage
    meta["status"] = article.status
    if article.status == "archived" and article.archive_reason:
        meta["archive_reason"] = article.archive_reason  # why it was withdrawn: its banner
    meta["edit_policy"] = article.edit_policy
    if article.based_on_id is not None and article.based_on.status != "draft":
        meta["based_on"] = article.based_on.slug  # the practice this one adapts
    if article.review_by is not None:
        meta["review_by"] = article.review_by
    meta["author"] = {"name": article.author.name, "email": article.author.email}
    meta["created"] = article.created_at.isoformat()
    if article.published_at is not None:
        meta["published"] = article.published_at.isoformat()
    head = FRONT_MATTER.export(meta, default_flow_style=None, **YAML_STYLE)
    return f"---\n{head}\n---\n" + (f"\n{article.body}\n" if article.body else "")


def agencies_text(agencies) -> str:
    """agencies.yml: every agency with its slug, name, acronym, level, country and domains."""
    entries = [yaml.dump([{"slug": a.slug, "name": a.name, "acronym": a.acronym, "level": a.level,
                           "country": a.country, "domains": a.domain_names}], Dumper=_IndentedDumper, **YAML_STYLE)
               for a in agencies]
    return "# Agencies of the content library (exchange content export).\n\n" + "\n".join(entries)


class _IndentedDumper(yaml.SafeDumper):
    """Indents lists inside mappings, as people write them (``domains:`` then ``    - a.example``)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


# Loading ----------------------------------------------------------------------

class _Loader:
    """One load: agencies by slug and content users by agency, fetched once and reused."""

    def __init__(self, directory: Path, shift: timedelta = timedelta(0)):
        self.directory = directory
        self.shift = shift
        self.report = LoadReport()
        self.agencies = {a.slug: a for a in db.session.scalars(sa.select(Agency))}
        self.authors: dict[int, User] = {}
        self.seen: dict[object, Path] = {}  # by clean slug and agency, and by public slug
        self.existing = {rules.clean_part(slug) for slug in db.session.scalars(sa.select(Article.slug))}
        self.waiting: list[tuple] = []  # new articles, created BATCH at a time
        self.analyze_at = FIRST_ANALYZE  # articles created when the statistics are next refreshed
        self.origins: dict[str, Origin] = {}  # who wrote each article and when, from its front matter
        # (slug, agency) -> (file, the slug it is based_on): linked once every file is in, as an original
        # may come later in the library than its adaptation
        self.adaptations: dict[tuple[str, int], tuple[Path, str]] = {}

    def load_agencies(self, path: Path) -> None:
        try:
            entries = _parse_yaml(path.read_text(encoding="utf-8-sig"), "agencies") or []
        except (Invalid, UnicodeDecodeError) as error:
            return self._fail(path, error)
        if not isinstance(entries, list):
            return self._fail(path, Invalid("Not a list.", {"agencies": "must be a list of agencies"}))
        for number, entry in enumerate(entries, 1):
            try:
                self._add_agency(entry)
            except DomainError as error:
                db.session.rollback()
                slug = entry.get("slug") if isinstance(entry, dict) else None
                self._fail(path, error, f"agency {number}" + (f" ({slug})" if slug else ""))

    def _add_agency(self, entry) -> None:
        if not isinstance(entry, dict):
            raise Invalid("Not a mapping.", {"agency": "must be 'key: value' lines"})
        unknown = sorted(str(key) for key in entry if key not in AGENCY_KEYS)
        if unknown:
            raise Invalid("Unknown fields.", {", ".join(unknown): f"unknown field; known: {', '.join(AGENCY_KEYS)}"})
        if str(entry.get("slug") or "").strip().lower() in self.agencies:
            return  # an agency that exists is left as it is
        domains = entry.get("domains") or []
        if not isinstance(domains, list):
            domains = [domains]
        agency = add_agency(SYSTEM, str(entry.get("slug") or ""), str(entry.get("name") or ""),
                            str(entry.get("acronym") or ""), str(entry.get("level") or "other"),
                            str(entry.get("country") or ""), [str(d) for d in domains])
        self.agencies[agency.slug] = agency
        self.report.agencies_added += 1

    def load_article(self, path: Path) -> None:
        relative = path.relative_to(self.directory)
        try:
            fields = read_article(path, KIND_OF_FOLDER[relative.parts[0]])
            slug, agency, values = self._check(path, fields)
            origin = self._origin(fields, agency)
            change = (path, slug, agency, values, f"Loaded from {self.directory.name}/{relative.as_posix()}",
                      self._author(agency))
            self.origins[slug] = origin
        except (DomainError, sa.exc.IntegrityError) as error:
            db.session.rollback()
            return self._fail(path, error)
        if slug not in self.existing and values["status"] != "archived":
            self.waiting.append(change)
            if len(self.waiting) >= BATCH:
                self.create_waiting()
        else:
            self._load_one(change)

    def create_waiting(self) -> None:
        """Create the new articles waiting, in one transaction; if that is refused, one at a time."""
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return
        try:
            made = create_articles([(author, {**values, "change_note": note}, agency, slug)
                                    for _, slug, agency, values, note, author in waiting])
        except (DomainError, sa.exc.IntegrityError):
            db.session.rollback()
            for change in waiting:  # to say which file was refused, and keep the others
                self._load_one(change)
            return
        self.report.created += len(waiting)
        self.existing.update(change[1] for change in waiting)
        restore_origins({article: self.origins.get(change[1]) for article, change in zip(made, waiting, strict=True)})
        if self.report.created >= self.analyze_at:
            refresh_statistics()
            self.analyze_at = 2 * self.report.created

    def _load_one(self, change: tuple) -> None:
        try:
            outcome = self._upsert(*change)
        except (DomainError, sa.exc.IntegrityError) as error:
            db.session.rollback()
            return self._fail(change[0], error)
        self.existing.add(change[1])
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    def _upsert(self, path: Path, slug: str, agency: Agency, values: dict, note: str, author: User) -> str:
        reason = values.pop("archive_reason", "")
        article = agency_article(slug, agency)  # a draft is found by its clean slug, within its agency
        if article is None and values["status"] != "draft":  # another agency's published slug: refused below
            article = db.session.scalar(sa.select(Article).where(Article.slug == slug))
        if article is None:
            article = create_article(author, {**values, "change_note": note}, agency=agency, slug=slug)
            if values["status"] == "archived":
                archive(author, article)  # made archived already: this records who and when
                article.archive_reason = reason  # restored as written, like the dates (restore_origins)
                db.session.commit()
            restore_origins({article: self.origins.get(slug)})
            return "created"
        if article.kind != values["kind"]:
            raise Invalid("Slug taken.", {"slug": f"taken by a {article.kind_label.lower()} of {article.agency.slug}"})
        if article.agency_id != agency.id:
            raise Invalid("Other agency.", {"agency": f"the article belongs to {article.agency.slug}"})
        before = article.revision
        update_article(author, article, values, base_revision=article.revision, change_note=note,
                       archive_reason=reason or None)
        db.session.commit()  # ends the transaction when nothing changed
        return "updated" if article.revision != before else "unchanged"

    def link_adaptations(self) -> None:
        """Point each loaded adaptation at the practice its file names; a name that is not a published
        practice is reported against the file (the article itself stays loaded, without the link)."""
        for (slug, agency_id), (path, original) in self.adaptations.items():
            try:
                agency = next(a for a in self.agencies.values() if a.id == agency_id)
                article = agency_article(slug, agency)
                if article is None:
                    continue  # its file failed to load: reported already
                try:
                    found = original_named({"based_on": original}, article)
                except Invalid:
                    raise Invalid("No such practice.", {"based_on": f"no published practice '{original[:100]}' "
                                                                    "(the article is loaded without it)"}) from None
                if article.based_on_id != found.id:
                    article.based_on = found
                    db.session.commit()
            except DomainError as error:
                db.session.rollback()
                self._fail(path, error)

    def _check(self, path: Path, fields: dict) -> tuple[str, Agency, dict]:
        """Every problem of a file at once, as one Invalid; else its slug, agency and article fields."""
        problems = {}
        for key in TEXT_KEYS:
            if isinstance(fields.get(key), (bool, list, dict)):
                problems[key] = "must be text (put it in quotes)"
        if fields.get("tags") is not None and not isinstance(fields["tags"], list):
            problems["tags"] = "must be a list, like [open data, procurement]"
        if isinstance(fields.get("review_by"), datetime):
            problems["review_by"] = "a date like 2027-03-31, without a time"
        kind = fields["kind"] if "kind" not in problems else None
        if fields.get("evidence_level") not in (None, "") and kind == "playbook":
            problems["evidence_level"] = "only case studies have an evidence level"
        values = {
            "title": fields.get("title"), "summary": fields.get("summary"), "body": fields["body"], "kind": kind,
            "tags": fields.get("tags") or [], "evidence_level": fields.get("evidence_level"),
            "stage": fields.get("stage"), "review_by": _shifted_day(fields.get("review_by"), self.shift),
            "status": fields.get("status") or "draft",
            "edit_policy": fields.get("edit_policy") or DEFAULT_POLICY.get(kind, "agency"),
        }
        _collect(problems, lambda: rules.clean_fields({k: v for k, v in values.items() if k not in problems},
                                                      required=("title", "kind", "summary")))
        if values["status"] == "archived" and fields.get("archive_reason") not in (None, ""):
            values["archive_reason"] = _collect(problems, lambda: rules.clean_line(
                fields["archive_reason"], "archive_reason", max_len=rules.MAX_REASON_LENGTH))
        slug = _collect(problems, lambda: rules.clean_slug(fields["slug"]))
        agency = _collect(problems, lambda: self._agency(fields.get("agency")))
        # A clean slug is one agency's; a public one everyone's (drafts of several agencies may share one).
        keys = [(slug, getattr(agency, "id", None))] + ([slug] if values["status"] != "draft" else [])
        clash = next((self.seen[key] for key in keys if key in self.seen), None)
        if clash and not problems:
            problems["slug"] = f"also used by {clash}"
        original = fields.get("based_on")
        if original is not None and not isinstance(original, str):
            problems["based_on"] = "the slug of a published practice, as text"
        if problems:
            raise Invalid("The file has problems.", problems)
        self.seen.update(dict.fromkeys(keys, path))
        if original not in (None, ""):
            self.adaptations[(slug, agency.id)] = (path, original)
        return slug, agency, values

    def _agency(self, slug) -> Agency:
        if slug in (None, ""):
            raise Invalid("Agency is required.", {"agency": "required"})
        agency = self.agencies.get(str(slug))
        if agency is None:
            raise Invalid("Unknown agency.", {"agency": f"no agency '{slug}' (add it to agencies.yml)"})
        return agency

    def _origin(self, fields: dict, agency: Agency) -> "Origin":
        """The author and dates a file names (an export writes them), or Invalid naming the field."""
        author = fields.get("author")
        if author is not None and not (isinstance(author, dict) and set(author) <= {"name", "email"}
                                       and isinstance(author.get("email"), str)):
            raise Invalid("Bad author.", {"author": "a mapping like {name: Ada Byron, email: ada@agency.example}"})
        problems = {}
        created = _collect(problems, lambda: _moment(fields.get("created"), "created"))
        published = _collect(problems, lambda: _moment(fields.get("published"), "published"))
        if problems:
            raise Invalid("The file has problems.", problems)
        person = self._person(author, agency) if author else None
        return Origin(person, created and created + self.shift, published and published + self.shift)

    def _person(self, author: dict, agency: Agency) -> User:
        """The named author: found by email, or added to the article's agency as a member who cannot sign in
        (with no password: they may reset it, or an admin may invite them)."""
        email = normalise_email(author["email"])
        person = db.session.scalar(sa.select(User).where(User.email == email))
        if person is None:
            person, _ = add_user(SYSTEM, email, str(author.get("name") or email.split("@")[0]), agency.slug, "member")
            person.password_hash = ""  # unusable: check_password refuses an empty hash
            db.session.commit()
        return person

    def _author(self, agency: Agency) -> User:
        """The agency's content team account, made on first use."""
        author = self.authors.get(agency.id)
        if author is None:
            domain = agency.domain_names[0] if agency.domains else f"{agency.slug}.example"
            email = f"content@{domain}"
            author = db.session.scalar(sa.select(User).where(User.email == email))
            if author is None:
                author, _ = add_user(SYSTEM, email, CONTENT_USER_NAME, agency.slug, "member")
            elif author.agency_id != agency.id:
                raise Invalid("Content user elsewhere.", {"agency": f"{email} belongs to another agency"})
            self.authors[agency.id] = author
        return author

    def _fail(self, path: Path, error: Exception, where: str = "") -> None:
        prefix = f"{path}: " + (f"{where}: " if where else "")
        self.report.failures.append(prefix + describe(error))


@dataclass(frozen=True)
class Origin:
    """Who wrote an article and when, as an export records them; None: as the load makes them."""

    author: User | None
    created: datetime | None
    published: datetime | None


def restore_origins(origins: dict[Article, Origin | None]) -> None:
    """Give newly loaded articles the author and dates their files name (a draft's address is private,
    so the articles themselves are handed over, not their slugs)."""
    for article, origin in origins.items():
        if origin is None or origin == Origin(None, None, None):
            continue
        revisions = db.session.scalars(sa.select(Revision).where(Revision.article_id == article.id)).all()
        if origin.author is not None:
            article.author = origin.author
            for revision in revisions:
                revision.author = origin.author
        if origin.created is not None:
            article.created_at = origin.created
            for revision in revisions:
                revision.created_at = origin.created
        # an archived file made archived (never published here) keeps the publication date it names
        if origin.published is not None and (article.published_at is not None or article.status == "archived"):
            article.published_at = origin.published
        moments = [m for m in (origin.created, article.published_at if origin.published else None) if m is not None]
        if moments:  # last changed when its file says, not when it was loaded
            article.updated_at = max(moments)
    db.session.commit()


def _moment(value, name: str) -> datetime | None:
    """A date and time from front matter (YAML's own timestamp, or ISO 8601 text), in UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise Invalid("Bad date.", {name: "a date and time like 2026-03-01T09:30:00+00:00"})
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _shifted_day(value, shift: timedelta):
    """A review-by date moved by ``shift`` (whole days); anything else as given, for the checks to judge."""
    if not shift or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value + timedelta(days=shift.days) if isinstance(value, date) else value


def describe(error: Exception) -> str:
    """A refusal as ``field: reason; field: reason`` (or its message when it names no field)."""
    if isinstance(error, DomainError) and error.fields:
        return "; ".join(f"{name}: {reason}" for name, reason in error.fields.items())
    if isinstance(error, sa.exc.IntegrityError):
        return "conflicts with a change saved at the same time; load again"
    return getattr(error, "message", None) or str(error)


def _collect(problems: dict, check):
    """Run one check; a refusal adds its fields to ``problems`` (the first reason for a field wins)."""
    try:
        return check()
    except Invalid as error:
        for name, reason in error.fields.items():
            problems.setdefault(name, reason)
        return None


class _ContentLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases (no "billion laughs"), and with dates checked where they are read."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(None, None, f"not a date: {error}", node.start_mark) from None


_ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", _ContentLoader.construct_yaml_timestamp)


def _parse_yaml(text: str, what: str):
    try:
        return yaml.load(text, Loader=_ContentLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise Invalid("Not valid YAML.", {what: f"not valid YAML: {problem}{where}"}) from None


def _no_progress(items, total):
    return nullcontext(items)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")
