"""The PostgreSQL backend ranks like the Whoosh backend: their top tens overlap.

Both backends index the same articles, loaded through ``exchange content load`` (the shipped
library, and a slice of the CISI test collection of ``../shared/relevance``), and answer the same
questions through the search API. On average, at least PARITY of each top ten must be the same
articles. Runs only when the suite runs on PostgreSQL (EXCHANGE_TEST_DATABASE_URL).
"""
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs EXCHANGE_TEST_DATABASE_URL (PostgreSQL)")

PARITY = 0.8  # the least average share of a top ten the two backends agree on
TOP = 10
REPO = Path(__file__).resolve().parents[2]
CISI = next((folder for folder in (REPO / "bench" / "cisi", REPO.parent / "shared" / "relevance" / "cisi")
             if (folder / "CISI.ALL").is_file()), None)
CISI_DOCUMENTS = 400  # the first documents of the collection: enough to rank, quick to load twice
CISI_QUESTIONS = 40  # the first questions that have judgments

# What people might ask of the shipped library (content/), in their own words.
LIBRARY_QUESTIONS = [
    "how did other councils reduce missed appointments",
    "what problems come up when running a citizen ideas platform",
    "social media policy for staff",
    "how to answer residents on social media quickly",
    "publishing open data with an API",
    "participatory budgeting results",
    "challenge prize for a public problem",
    "crowdfunding match fund for community projects",
    "measuring engagement of followers",
    "live disruption updates for rail and ferry passengers",
    "volunteers transcribing land records",
    "chart of the week statistics",
    "service standard wiki",
    "clinicians as social media ambassadors",
    "how do we grow our audience",
    "choosing a crowdsourcing model",
    "what is in it for me to take part",
    "complaints fell after customer service changes",
    "open data portal downloads and reuse",
    "ideas from residents that the council adopted",
]


def _top(client, question: str) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": question, "per_page": TOP})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [result["slug"] for result in response.get_json()["results"]]


def _overlaps(new_app, runner_for, tmp_path, library: Path, questions: list[str]) -> list[float]:
    postgres = new_app(SEARCH_BACKEND="postgres")
    whoosh = new_app(SEARCH_BACKEND="whoosh", SEARCH_INDEX=str(tmp_path / "whoosh"))
    loaded = runner_for(postgres).invoke(args=["content", "load", str(library)])
    assert loaded.exit_code == 0, loaded.output
    for app in (postgres, whoosh):
        rebuilt = runner_for(app).invoke(args=["search", "reindex"])
        assert rebuilt.exit_code == 0, rebuilt.output
    shares = []
    for question in questions:
        ours, theirs = _top(postgres.test_client(), question), _top(whoosh.test_client(), question)
        shares.append(len(set(ours) & set(theirs)) / max(len(ours), len(theirs)) if ours or theirs else 1.0)
    return shares


@pytest.fixture
def runner_for():
    return lambda app: app.test_cli_runner()


def _report(name: str, shares: list[float]) -> float:
    average = sum(shares) / len(shares)
    print(f"{name}: top-{TOP} overlap {average:.3f} over {len(shares)} questions")  # shown with -s
    return average


def _whoosh_ranks_plain_words() -> bool:
    """Whether the Whoosh backend treats words side by side as optional (the ranked retrieval of #14)."""
    from exchange.search.whoosh import query

    return hasattr(query, "RankedOr")


# Until the Whoosh backend ranks optional words too (branch ``rank``), it requires every word, and the
# backends cannot agree on questions: the test then must fail (strict), and passes once both rank.
needs_ranked_whoosh = pytest.mark.xfail(not _whoosh_ranks_plain_words(), strict=True,
                                        reason="the Whoosh backend still requires every word")


@needs_ranked_whoosh
def test_the_backends_agree_on_the_shipped_library(new_app, runner_for, tmp_path):
    shares = _overlaps(new_app, runner_for, tmp_path, REPO / "content", LIBRARY_QUESTIONS)
    assert _report("library", shares) >= PARITY


@needs_ranked_whoosh
@pytest.mark.skipif(CISI is None, reason="the CISI collection is in neither bench/cisi nor ../shared/relevance")
def test_the_backends_agree_on_the_cisi_collection(new_app, runner_for, tmp_path):
    library = tmp_path / "cisi"
    documents = _cisi_records(CISI / "CISI.ALL")
    _write_library(library, dict(list(documents.items())[:CISI_DOCUMENTS]))
    judged = {line.split()[0] for line in (CISI / "CISI.REL").read_text().splitlines() if line.strip()}
    questions = [record["W"] for number, record in _cisi_records(CISI / "CISI.QRY").items() if number in judged]
    shares = _overlaps(new_app, runner_for, tmp_path, library, questions[:CISI_QUESTIONS])
    assert _report("cisi", shares) >= PARITY


def _cisi_records(path: Path) -> dict[str, dict[str, str]]:
    """``.I id`` records with their ``.T``, ``.W`` ... fields, in file order."""
    records: dict[str, dict[str, str]] = {}
    field = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(".I "):
            current = records.setdefault(line.split()[1], {})
            field = None
        elif re.fullmatch(r"\.[A-Z]", line.strip()):
            field = line.strip()[1]
            current[field] = ""
        elif field:
            current[field] += line + " "
    return {number: {k: " ".join(v.split()) for k, v in fields.items()} for number, fields in records.items()}


def _write_library(directory: Path, documents: dict[str, dict[str, str]]) -> None:
    """The documents as a content/ library: one agency, one case study each (title .T, body .W)."""
    (directory / "case-studies").mkdir(parents=True)
    (directory / "agencies.yml").write_text(yaml.safe_dump([{
        "slug": "cisi", "name": "Cisi", "acronym": "", "level": "other", "country": "GB",
        "domains": ["cisi.example"]}]))
    for number, record in documents.items():
        title = (record.get("T") or f"Document {number}")[:200].rsplit(" ", 1)[0] if len(
            record.get("T", "")) > 200 else (record.get("T") or f"Document {number}")
        meta = {"title": title, "slug": f"cisi-{number}", "kind": "case_study", "agency": "cisi",
                "summary": f"Cisi {number}.", "status": "published"}
        text = "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + (record.get("W") or "No abstract.") + "\n"
        (directory / "case-studies" / f"cisi-{number}.md").write_text(text, encoding="utf-8")
