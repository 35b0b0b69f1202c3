"""Which word a misspelt one was meant to be: the rules of "did you mean", the same for every backend.

- A word is looked at only when no published article has it (nor a word with its stem), and
  when it is not a word of everyday English: "drone" is spelt right even if nobody wrote about
  drones yet, so it is never turned into "done".
- Its candidates are the library's words within two edits. Two neighbouring letters typed the
  wrong way round is the commonest slip, so a swap costs half an edit: "opne" is "open" before
  it is "one".
- Among equally close candidates, the one that finds most articles, weighted by how rare the
  word is (documents found times their idf): a word in nearly every article finds nothing in
  particular.
The service (``exchange.search.services``) then offers the corrected query only if it finds more.
"""
import functools
import gzip
import json
import math
import threading
import unicodedata
from importlib import resources

from exchange.search.words import is_stop

MAX_COST = 2.0  # edits a candidate may be from the word typed
SWAP_COST = 0.5  # two neighbouring letters the wrong way round
EVERYDAY_FREQUENCY = 1e-6  # an English word at least this common (per word of text) is spelt right
MIN_LENGTH = 3
MAX_LENGTH = 24  # longer "words" are not misspellings, and would cost much to compare


def folded(word: str) -> str:
    """A word as the spelling vocabulary keeps it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def worth_correcting(word: str) -> bool:
    """Whether a (folded) word of a query could be corrected at all: long enough, letters only, not a stop word."""
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isalpha() and not is_stop(word)


def everyday_english(word: str) -> bool:
    """Whether a (folded) word is common in English, so spelt right whatever the library holds."""
    return word in _everyday_english()


def edit_cost(typed: str, candidate: str) -> float:
    """Edits from one word to the other (insert, delete, replace: 1; swap neighbours: SWAP_COST)."""
    previous2, previous = None, list(range(len(candidate) + 1))
    for i, a in enumerate(typed, 1):
        row = [float(i)] + [0.0] * len(candidate)
        for j, b in enumerate(candidate, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == candidate[j - 2] and typed[i - 2] == b and a != b:
                row[j] = min(row[j], previous2[j - 2] + SWAP_COST)
        previous2, previous = previous, row
    return previous[-1]


def weight(found: int, total: int) -> float:
    """How much a word finds: the articles it is in, times its BM25 idf (about 0 for a word in all)."""
    return found * math.log(1 + (total - found + 0.5) / (found + 0.5))


def by_closeness(typed: str, candidates) -> list[list[str]]:
    """The candidates within MAX_COST of ``typed``, in groups of equal cost, closest first."""
    groups: dict[float, list[str]] = {}
    for word in candidates:
        cost = edit_cost(typed, word)
        if word != typed and cost <= MAX_COST and not is_stop(word):
            groups.setdefault(cost, []).append(word)
    return [sorted(groups[cost]) for cost in sorted(groups)]


def heaviest(candidates: dict[str, int], total: int) -> str | None:
    """Of equally close candidates (word -> published articles with it), the one that weighs most."""
    found = [(-weight(count, total), word) for word, count in candidates.items() if count]
    return min(found)[1] if found else None


def warm_up() -> None:
    """Read the English word list in the background, once a process, so no search waits for it."""
    global _warming
    with _warming_lock:
        if _warming is None:
            _warming = threading.Thread(target=_everyday_english, name="spelling-warm-up", daemon=True)
            _warming.start()


_warming: threading.Thread | None = None
_warming_lock = threading.Lock()


@functools.cache
def _everyday_english() -> frozenset[str]:
    """The words of everyday English, from pyspellchecker's English word counts (read once)."""
    data = resources.files("spellchecker.resources").joinpath("en.json.gz").read_bytes()
    counts = json.loads(gzip.decompress(data))
    least = sum(counts.values()) * EVERYDAY_FREQUENCY
    return frozenset(word for word, count in counts.items() if count >= least)
