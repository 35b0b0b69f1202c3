"""Input rules shared by every domain: clean text, canonical slugs."""
import re
import unicodedata

from exchange.errors import Invalid

# Zero-width and bidi format characters: invisible, so never meaningful in a name.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
                        "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG_JUNK = re.compile(r"[\s/\\.?#%&+:;,'\"`<>()\[\]{}|!*=@$^~]+")


def _as_text(value, field: str) -> str:
    """``value`` as text: None is empty; lists, numbers and objects are refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        label = field.replace("_", " ").capitalize()
        raise Invalid(f"{label} must be text.", {field: "must be text"})
    return value


def _check_encodable(value: str, field: str) -> None:
    if "\x00" in value:
        raise Invalid(f"{field.capitalize()} contains a NUL character.", {field: "contains a NUL character"})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        message = f"{field.capitalize()} contains text that cannot be stored."
        raise Invalid(message, {field: "contains invalid text"}) from None


def clean_line(value, field: str, *, min_len: int = 0, max_len: int = 200) -> str:
    """One line of text: invisible and control characters removed, whitespace folded, length checked."""
    value = _as_text(value, field)
    _check_encodable(value, field)
    value = _INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    value = " ".join(_CONTROL.sub(" ", value).split())
    _check_length(value, field, min_len, max_len)
    return value


def clean_text(value, field: str, *, min_len: int = 0, max_len: int = 10_000, unit: str = "characters") -> str:
    """Multi-line text: line ends normalised, control characters removed, length checked."""
    value = _as_text(value, field)
    _check_encodable(value, field)
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    if unit == "bytes":
        size = len(value.encode("utf-8"))
        if size > max_len:
            raise Invalid(
                f"{field.capitalize()} is too long: {size:,} bytes, at most {max_len:,}.",
                {field: f"at most {max_len // 1000} KB"},
            )
        _check_length(value.strip(), field, min_len, None)
    else:
        _check_length(value.strip(), field, min_len, max_len)
    return value


def required_message(field: str) -> str:
    """How a missing value is asked for, the same everywhere: "Enter a summary."."""
    words = field.replace("_", " ").strip().lower()
    return f"Enter {'an' if words[:1] in tuple('aeiou') else 'a'} {words}."


def _check_length(value: str, field: str, min_len: int, max_len: int | None) -> None:
    label = field.replace("_", " ").capitalize()
    if len(value) < min_len:
        message = required_message(field) if min_len == 1 else f"{label} must be at least {min_len} characters."
        raise Invalid(message, {field: message})
    if max_len is not None and len(value) > max_len:
        message = f"{label} must be {max_len} characters or fewer (it has {len(value)})."
        raise Invalid(message, {field: message})


def canonical_slug(value: str, max_len: int = 80) -> str:
    """The canonical form of a name: NFKC, casefolded, invisible characters gone, hyphens for spaces."""
    value = _INVISIBLE.sub("", unicodedata.normalize("NFKC", value or "")).casefold()
    value = unicodedata.normalize("NFKC", value)
    value = _CONTROL.sub("", value)
    value = _SLUG_JUNK.sub("-", value)
    value = re.sub(r"[-_]+", "-", value).strip("-")
    return value[:max_len].strip("-")
