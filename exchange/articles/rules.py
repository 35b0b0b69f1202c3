"""The input rules of an article's fields: each field cleaned or refused with its reason."""
import secrets
from datetime import date

from exchange.articles.models import (
    EDIT_POLICIES,
    EVIDENCE_LEVELS,
    KINDS,
    STAGES,
    STATUSES,
)
from exchange.errors import Invalid
from exchange.markdown import images_without_alt
from exchange.text import canonical_slug, clean_line, clean_text, required_message

MAX_BODY_BYTES = 100_000
MAX_TAGS = 8
MAX_TAG_LENGTH = 40
MAX_REASON_LENGTH = 300  # why a practice was withdrawn: shown in its banner
# A never-published draft's address is its clean slug, PRIVATE_MARK and a random part, so that it
# claims no public address. Canonical slugs never hold "--" (canonical_slug folds runs of hyphens).
PRIVATE_MARK = "--"
PRIVATE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
PRIVATE_LENGTH = 6
MAX_SLUG_LENGTH = 90  # leaves room for the private part within the column's 100
# Words our routes use after /articles/ or at the top level: never an article slug.
RESERVED_SLUGS = {
    "new", "edit", "history", "diff", "restore", "publish", "archive", "admin", "api", "search",
    "tags", "agencies", "people", "feeds", "login", "logout", "register", "static", "healthz",
    "profile", "case-studies", "playbooks", "preview", "revisions", "endorsement", "comments", "import",
}


def _one_of(value, allowed, field: str, label: str):
    if isinstance(value, (str, int)) and not isinstance(value, bool) and value in allowed:
        return value
    choices = ", ".join(str(a) for a in allowed)
    raise Invalid(f"{label} must be one of: {choices}.", {field: f"must be one of: {choices}"})


def clean_title(value) -> str:
    return clean_line(value, "title", min_len=3, max_len=200)


def clean_summary(value) -> str:
    return clean_line(value, "summary", min_len=1, max_len=400)


def clean_body(value) -> str:
    body = clean_text(value, "body", max_len=MAX_BODY_BYTES, unit="bytes")
    missing = images_without_alt(body)
    if missing:
        images = f"{len(missing)} image{'s have' if len(missing) > 1 else ' has'}"
        raise Invalid(f"Describe every image: write what it shows between the square brackets, "
                      f"![like this]({missing[0][:100]}). {images} no description (alt text).",
                      {"body": "an image has no description (alt text)"})
    return body


def clean_kind(value) -> str:
    return _one_of(value, KINDS, "kind", "Kind")


def clean_status(value) -> str:
    return _one_of("draft" if value in (None, "") else value, STATUSES, "status", "Status")


def clean_edit_policy(value) -> str:
    return _one_of(value, EDIT_POLICIES, "edit_policy", "Edit policy")


def clean_stage(value) -> str | None:
    if value in (None, ""):
        return None
    return _one_of(value, STAGES, "stage", "Stage")


def clean_evidence_level(value) -> int | None:
    if not isinstance(value, bool) and value in (None, "", 0, "0"):  # False == 0, but is no level
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON's 2.0 is the whole number 2
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if isinstance(value, bool) or isinstance(value, float) or level not in EVIDENCE_LEVELS:
        raise Invalid("Evidence level must be a whole number from 1 to 5.", {"evidence_level": "must be 1 to 5"})
    return level


def clean_review_by(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        message = "Review-by date must be a date like 2027-03-31."
        raise Invalid(message, {"review_by": "a date like 2027-03-31"}) from None


def clean_tags(value) -> list[tuple[str, str]]:
    """Tags as (slug, display name) pairs, canonical and de-duplicated."""
    if value is None:
        return []
    from_text = isinstance(value, str)
    if from_text:
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise Invalid("Tags must be a list of names.", {"tags": "a list of names"})
    if len(value) > MAX_TAGS and not from_text:  # a list says how many it holds, empty names too
        message = f"An article has at most {MAX_TAGS} tags; this list has {len(value)}."
        raise Invalid(message, {"tags": f"at most {MAX_TAGS}"})
    tags: dict[str, str] = {}
    for raw in value:
        if not isinstance(raw, str):
            raise Invalid("Each tag must be text.", {"tags": "each tag must be text"})
        name = clean_line(raw, "tags", max_len=200)
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise Invalid(f"The tag “{name[:50]}” is too long: at most {MAX_TAG_LENGTH} characters.",
                          {"tags": f"at most {MAX_TAG_LENGTH} characters each"})
        # the limit is on what people type: a name whose canonical form grows (NFKC, casefolding: "ß" is
        # "ss") keeps a slug cut to the column, not a refusal that says the name is too long when it is not
        slug = canonical_slug(name, max_len=MAX_TAG_LENGTH)
        if slug:
            tags.setdefault(slug, name)
    if len(tags) > MAX_TAGS:
        message = f"An article has at most {MAX_TAGS} tags; this one has {len(tags)}."
        raise Invalid(message, {"tags": f"at most {MAX_TAGS}"})
    return list(tags.items())


def base_slug(title: str) -> str:
    """The slug a title suggests: canonical, never empty, never a route word."""
    slug = canonical_slug(title, max_len=80) or "article"
    return f"{slug}-article" if slug in RESERVED_SLUGS else slug


def clean_slug(value) -> str:
    """A slug given explicitly (content files, the API): must already be canonical."""
    raw = clean_line(value, "slug", min_len=1, max_len=MAX_SLUG_LENGTH)
    slug = canonical_slug(raw, max_len=MAX_SLUG_LENGTH)
    if slug != raw or slug in RESERVED_SLUGS:
        raise Invalid(f"“{raw}” cannot be a slug: use lowercase words joined by hyphens, not a route word.",
                      {"slug": "lowercase words joined by hyphens"})
    return slug


def private_slug(clean: str) -> str:
    """A never-published draft's address: ``clean``, the private mark and a random part."""
    secret = "".join(secrets.choice(PRIVATE_ALPHABET) for _ in range(PRIVATE_LENGTH))
    return f"{clean}{PRIVATE_MARK}{secret}"


def is_private(slug: str) -> bool:
    """Whether ``slug`` is a never-published draft's address."""
    return PRIVATE_MARK in slug


def clean_part(slug: str) -> str:
    """The clean slug of any article's address: a draft's without its random part."""
    return slug.split(PRIVATE_MARK, 1)[0]


CLEANERS = {
    "title": clean_title,
    "summary": clean_summary,
    "body": clean_body,
    "kind": clean_kind,
    "status": clean_status,
    "edit_policy": clean_edit_policy,
    "stage": clean_stage,
    "evidence_level": clean_evidence_level,
    "review_by": clean_review_by,
    "tags": clean_tags,
}


def clean_fields(fields: dict, required=()) -> dict:
    """Clean every known field present; gather all problems into one Invalid."""
    cleaned, problems, messages = {}, {}, []
    for name in required:
        if fields.get(name) in (None, ""):
            problems[name] = "required"
            messages.append(required_message(name))
    for name, cleaner in CLEANERS.items():
        if name in fields and name not in problems:
            try:
                cleaned[name] = cleaner(fields[name])
            except Invalid as error:
                problems.update(error.fields)
                messages.append(error.message)
    if problems:
        raise Invalid(" ".join(messages), problems)
    return cleaned
