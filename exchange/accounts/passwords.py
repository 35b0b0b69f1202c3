"""Password rules: long enough, not common, not a pattern, not made of the person's own address.

The common list ships with the package (``data/common_passwords.txt.gz``; its README says where it
comes from). It is read once, kept as one block of text (about 1 MB, not a set of 100,000 strings)
and searched only when a password is set.
"""
import functools
import gzip
import re
from importlib.resources import files

from exchange.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_DISTINCT = 5
# Rows a finger or the alphabet runs along; a password that mostly steps along them is a sequence.
_ROWS = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop",
         "azertyuiop", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")
_STEPS = {(row[i], row[i + 1]) for row in _ROWS for i in range(len(row) - 1)}
_STEPS |= {(b, a) for a, b in _STEPS} | {(c, c) for row in _ROWS for c in row}
_GENERIC_LABELS = {"gov", "org", "com", "net", "edu", "int", "mil", "example", "mail", "www", "staff"}


def check(password, field: str = "password", email: str = "", name: str = "") -> str:
    """The password, if it breaks no rule; Invalid naming the broken rule otherwise."""
    password = password or ""
    if "\x00" in password:
        raise Invalid("Password contains a NUL character.", {field: "invalid character"})
    if len(password) > MAX_LENGTH:
        raise Invalid(f"Password is too long ({MAX_LENGTH} characters at most).", {field: "too long"})
    reason = why_weak(password, email, name)
    if reason:
        raise Invalid(reason, {field: reason})
    return password


def why_weak(password: str, email: str = "", name: str = "") -> str | None:
    """Why this password is easy to guess, in a sentence, or None."""
    lowered = password.lower()
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters for the password; a short sentence works well."
    if len(set(lowered)) < MIN_DISTINCT or re.fullmatch(r"(.+?)\1+", lowered):
        return "That password repeats a few characters (like “abcabcabcabc”); attackers try those first."
    if _is_sequence(lowered):
        return "That password is a sequence (like “123456789012” or “qwertyuiopas”); attackers try those first."
    if _is_common(lowered):
        return "That password is on the list of the most common passwords, which attackers try first."
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    if core != lowered and core and _is_common(core):
        return ("That password is a common password with numbers or symbols added; "
                "attackers try those first. A short sentence works well.")
    if _made_of(lowered, _own_words(email, name)):
        return "That password is made from your name or email address; choose one that is not about you."
    return None


@functools.cache
def _common() -> str:
    data = files("exchange.accounts").joinpath("data/common_passwords.txt.gz").read_bytes()
    return "\n" + gzip.decompress(data).decode("utf-8") + "\n"


def _is_common(lowered: str) -> bool:
    return "\n" not in lowered and f"\n{lowered}\n" in _common()


def _is_sequence(lowered: str) -> bool:
    pairs = list(zip(lowered, lowered[1:], strict=False))
    return sum(pair in _STEPS for pair in pairs) >= 0.75 * len(pairs)


def _own_words(email: str, name: str) -> set[str]:
    """The words of the address (local part and domain labels) and of the name, 3 letters or more."""
    local, _, domain = (email or "").lower().partition("@")
    labels = [label for label in domain.split(".") if label not in _GENERIC_LABELS]
    words = re.split(r"[^a-z]+", " ".join([local, *labels, (name or "").lower()]))
    return {word for word in words if len(word) >= 3} | ({local.split("+")[0]} if len(local) >= 3 else set())


def _made_of(lowered: str, words: set[str]) -> bool:
    """Whether, taking the person's words out, fewer than six letters are left."""
    rest = lowered
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return rest != lowered and len(re.sub(r"[^a-z]", "", rest)) < 6
