"""A synthetic corpus in the content/ format, with words of known frequency.

Every article draws its text from the vocabulary of the shipped starter library, plus
marker words whose document frequency is fixed, so a benchmark can search "a word found in
2% of articles" or "two words found in most articles" and know what it is asking for.
"""
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RARE_WORD = "zephyrine"      # in 2% of articles
COMMON_WORDS = ("council", "residents")  # in ~90% of articles
TAGS = ["social media", "open data", "citizen participation", "digital services", "procurement",
        "crowd competition", "crowd collaboration", "crowd voting", "crowd labour", "crowd funding",
        "participatory budgeting", "open innovation", "staff engagement", "customer service", "measurement"]


def vocabulary() -> list[str]:
    """Words from the starter library, so stemming and scoring see real English."""
    words = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        words += re.findall(r"[a-z]{3,14}", path.read_text(encoding="utf-8").lower())
    return [w for w in words if w not in (RARE_WORD, *COMMON_WORDS)] or ["practice"]


def agencies(count: int = 20) -> list[dict]:
    levels = ["national", "regional", "local", "other"]
    return [{"slug": f"bench-agency-{i}", "name": f"Bench Agency {i}", "acronym": f"BA{i}",
             "level": levels[i % 4], "country": "GB", "domains": [f"agency{i}.bench.example"]}
            for i in range(count)]


def article(i: int, words: list[str], rng: random.Random, agency_slugs: list[str]) -> tuple[dict, str]:
    """Front matter and body of article ``i``."""
    kind = "case_study" if i % 3 else "playbook"
    title_words = rng.sample(words, 5)
    paragraphs = []
    for _ in range(6):
        sentence = rng.choices(words, k=60)
        if i % 50 == 0 and not paragraphs:
            sentence.insert(10, RARE_WORD)
        if i % 10:
            sentence.insert(20, COMMON_WORDS[len(paragraphs) % 2])
        paragraphs.append(" ".join(sentence).capitalize() + ".")
    body = "\n\n".join(f"## Section {n + 1}\n\n{p}" for n, p in enumerate(paragraphs))
    meta = {
        "title": f"{' '.join(title_words).capitalize()} {i}",
        "slug": f"bench-{i}",
        "kind": kind,
        "agency": agency_slugs[i % len(agency_slugs)],
        "tags": rng.sample(TAGS, 3),
        "summary": " ".join(rng.choices(words, k=25)).capitalize() + ".",
        "stage": rng.choice(["idea", "pilot", "implemented", "scaled"]),
        "status": "published",
        "edit_policy": "agency" if kind == "case_study" else "open",
    }
    if kind == "case_study":
        meta["evidence_level"] = rng.randint(1, 5)
    return meta, body


def write(directory: Path, count: int, seed: int = 7) -> Path:
    """Write ``count`` articles and agencies.yml under ``directory``."""
    rng = random.Random(seed)
    words = vocabulary()
    agency_list = agencies()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "agencies.yml").write_text(yaml.safe_dump(agency_list, sort_keys=False))
    for folder in ("case-studies", "playbooks"):
        (directory / folder).mkdir(exist_ok=True)
    slugs = [a["slug"] for a in agency_list]
    for i in range(count):
        meta, body = article(i, words, rng, slugs)
        folder = "case-studies" if meta["kind"] == "case_study" else "playbooks"
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + body + "\n"
        (directory / folder / f"{meta['slug']}.md").write_text(text, encoding="utf-8")
    return directory


def documents(directory: Path):
    """(front matter, body) of every article in a corpus directory, for the yardsticks."""
    for path in sorted(directory.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        yield yaml.safe_load(front), body
