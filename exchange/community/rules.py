"""The house rules for comments, after the comment policies of public-sector blogs.

1. A comment must add something: a question, an experience, a resource. Brief
   comments without content ("great post", "+1", "thanks!!", "👍") are refused;
   the text is normalised first (case, punctuation, emoji, repeated letters), then
   checked against a list of brief phrases and a substance rule: a comment whose
   words all come from the vocabulary of thanks, praise and small words carries
   no content, whatever its length. One word that carries content is enough, so
   "Thanks — we tried the same in Leeds and cut calls by 20%" is welcome.
2. At most 10 KB, and at most one link.
3. No links to a domain on ``COMMENT_LINK_BLOCKLIST``, nor to its subdomains.
4. Links from people the community does not know yet wait for an admin (see
   ``needs_approval``).
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote

from exchange.errors import Invalid
from exchange.markdown import comment_links
from exchange.text import clean_text

MAX_BYTES = 10_000
MAX_LINKS = 1
NEW_ACCOUNT_DAYS = 7

BRIEF_MESSAGE = (
    "Comments here need to add something: a question, an experience from your agency, or a resource. "
    "Short thanks like “great post” don't — use Endorse instead."
)
TOO_MANY_LINKS = "A comment may hold at most one link: keep the one that helps readers most."

# Whole comments that say nothing, as people type them; normalised below like the input.
BRIEF_PHRASES = [
    "good post", "great post", "great article", "nice post", "nice article", "good article", "+1", "thanks",
    "thank you", "thanks!!", "thx", "ty", "nice", "cool", "agreed", "i agree", "well done", "👍", "interesting",
    "love this", "love it", "first!", "first", "great", "awesome", "amazing", "brilliant", "excellent", "wow",
    "lol", "me too", "same here", "so true", "this", "this!", "yes", "bravo", "kudos", "great read",
    "good read", "great stuff", "great work", "good job", "nice one", "cheers", "bookmarked", "following",
]

# Words that carry no content on their own: thanks, praise, agreement and the small words around them.
FILLER_WORDS = set("""
a about again all also am an and any are as at be been but by can could did do does done for from get got
had has have he her here him his i if in into is it its just me more most much my no not now of off oh ok
okay on one only or our out over own post posts posted read reading really she so some such than that the
their them then there these they this those to too up us very was we were what will with would you your
yours yourself ever lot lots many quite truly totally absolutely simply definitely
thanks thank thx ty tnx thankyou cheers appreciate appreciated appreciation grateful gratitude
great good nice cool awesome amazing brilliant excellent fantastic wonderful superb super lovely neat
beautiful outstanding impressive incredible perfect best fab fabulous terrific splendid stellar solid
interesting informative insightful inspiring inspirational helpful useful valuable enlightening
love loved lovin loving like liked likes enjoy enjoyed enjoying
agree agreed agreeing agreement exactly indeed true yes yeah yep yup absolutely same totally right
well done job work stuff article articles piece blog blogpost share shared sharing writeup write written
wow woah whoa omg lol haha hah bravo kudos congrats congratulations hooray yay plus 1
first comment comments keep going see seen
merci danke bedankt gracias grazie obrigado dank
""".split())


def normalise(text: str) -> str:
    """Lower case, letters and digits only, each run of a repeated character once."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"https?://\S+|www\.\S+", " ", text)
    words = re.findall(r"[^\W_]+", text)  # letters and digits: punctuation and emoji go
    return " ".join(re.sub(r"(.)\1+", r"\1", word) for word in words)


_BRIEF = {normalise(phrase) for phrase in BRIEF_PHRASES}
_FILLER = {normalise(word) for word in FILLER_WORDS}


def is_brief(text: str) -> bool:
    """Whether a comment says nothing beyond thanks or praise."""
    normal = normalise(text)
    if normal in _BRIEF:
        return True
    return not any(word not in _FILLER for word in normal.split())


EMPTY_MESSAGE = "Enter a comment."


def clean_body(body) -> str:
    """The comment's text, within size, and adding something."""
    if isinstance(body, str) and not body.strip():
        raise Invalid(EMPTY_MESSAGE, {"body": EMPTY_MESSAGE})
    body = clean_text(body, "body", min_len=1, max_len=MAX_BYTES, unit="bytes")
    if is_brief(body):
        raise Invalid(BRIEF_MESSAGE, {"body": BRIEF_MESSAGE})
    return body


def check_links(body: str, blocklist) -> bool:
    """Refuse more than one link or a blocked domain; return whether the comment holds a link."""
    urls = comment_links(body)
    if len(urls) > MAX_LINKS:
        raise Invalid(TOO_MANY_LINKS, {"body": TOO_MANY_LINKS})
    for url in urls:
        domain = blocked_domain(link_host(url), blocklist)
        if domain:
            message = (f"Links to {domain} are not allowed here: link to the page itself, "
                       "on a site readers can trust.")
            raise Invalid(message, {"body": message})
    return bool(urls)


def blocked_domain(host: str | None, blocklist) -> str | None:
    """The block-list entry that ``host`` is, or is a subdomain of."""
    host = normalise_host(host or "")
    if not host:
        return None
    for entry in blocklist or ():
        domain = normalise_host(str(entry).strip().lstrip("*"))
        if domain and (host == domain or host.endswith("." + domain)):
            return domain
    return None


_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})  # what IDNA reads as a full stop


def normalise_host(host: str) -> str:
    """A host name as DNS sees it: percent-decoded, Unicode dots as dots, lower case, IDNA, no dots at the ends."""
    for _ in range(3):  # percent-encoding, perhaps twice over
        host = unquote(host)
    host = unicodedata.normalize("NFKC", host).translate(_DOTS).lower().strip(".")
    labels = []
    for label in host.split("."):
        try:
            labels.append(label.encode("idna").decode("ascii") if not label.isascii() else label)
        except UnicodeError:
            labels.append(label)  # not a name IDNA accepts: compared as written
    return ".".join(labels)


_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):(.*)$", re.S)


def link_host(url: str) -> str | None:
    """The host a browser would visit for ``url`` (None for links within this site)."""
    value = url or ""
    for _ in range(3):  # percent-encoding must not hide a host
        value = unquote(value)
    value = "".join(ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")))
    value = value.replace("\\", "/").lower()
    match = _SCHEME.match(value)
    if match:
        scheme, rest = match.groups()
        if scheme == "mailto":
            return _host_only(rest.split("?", 1)[0].rpartition("@")[2])
        rest = rest.lstrip("/")
    elif value.startswith("//"):
        rest = value.lstrip("/")
    else:
        return None
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    return _host_only(authority.rpartition("@")[2])


def _host_only(authority: str) -> str | None:
    if authority.startswith("["):  # an IPv6 literal, perhaps with a port
        host = authority[1:].partition("]")[0]
    else:
        host = authority.partition(":")[0]
    return normalise_host(host) or None


@dataclass(frozen=True)
class History:
    """What an author's published comments show about them."""

    published: int = 0
    published_with_link: int = 0


def needs_approval(author, has_link: bool, history: History, now: datetime,
                   new_account_days: int = NEW_ACCOUNT_DAYS) -> bool:
    """Whether a comment waits for an admin before anyone else sees it.

    A comment with a link from a *new account* waits. An account is new while it is
    younger than ``new_account_days`` days or has no published comment yet. An
    account that has had a comment with a link approved (published) is known, and
    so are admins: their links go straight through.
    """
    if not has_link or author.is_admin or history.published_with_link:
        return False
    young = now - author.created_at < timedelta(days=new_account_days)
    return young or history.published == 0
