"""What changes with the library's size: the budgets of a large run (DESIGN.md section 9, "at 100,000
articles"), and the comparison of its page ratios with a 10,000-article run's.

Every run saves its figures to ``results.json`` in its work folder. A larger run given that file
(``BENCH_BASELINE``) holds each page to at least 80% of the ratio it had there: the cost of a page must
not grow with the library. Without it a large run keeps the 10,000-article shares, and says so.
"""
import json
import os
from pathlib import Path

REFERENCE_SIZE = 10000
WITHIN = 0.20  # a page's ratio at scale may fall this far below its 10,000-article figure


def is_large(articles: int) -> bool:
    return articles > REFERENCE_SIZE


def search_p95_budget_ms(articles: int) -> int:
    """In-process search p95: 50 ms at 10,000 articles, 150 ms beyond."""
    return 150 if is_large(articles) else 50


def naive_whoosh_wanted(articles: int) -> bool:
    """Naive Whoosh indexes about 100 documents/s (over a quarter of an hour at 100,000), and the budget
    that compares with it is a 10,000-article one: a large run skips it unless BENCH_NAIVE=1."""
    return os.environ.get("BENCH_NAIVE", "1" if not is_large(articles) else "0") != "0"


class Baseline:
    """The page ratios of an earlier run (its ``results.json``), or none."""

    def __init__(self, path: str | None):
        self.path = path
        self.data = json.loads(Path(path).read_text()) if path else None

    @classmethod
    def from_environment(cls) -> "Baseline":
        return cls(os.environ.get("BENCH_BASELINE") or None)

    def describe(self) -> str | None:
        if not self.data:
            return None
        return (f"page budgets: within {WITHIN:.0%} of the ratios of {self.path} "
                f"({self.data['articles']:,} articles, {self.data['stack']}, ceiling {self.data['ceiling']:.0f} req/s)")

    def page_budget(self, label: str, share: float, ratio: float) -> tuple[str, bool]:
        """The budget text and verdict for one page row."""
        before = (self.data or {}).get("ratios", {}).get(label)
        if before is None:
            return f"≥ {share:.0%} of ceiling", ratio >= share
        return (f"≥ {1 - WITHIN:.0%} of its {before:.1%} at {self.data['articles']:,}",
                ratio >= (1 - WITHIN) * before)


def save(path: Path, *, articles: int, stack: str, ceiling: float, ratios: dict[str, float],
         figures: dict[str, float]) -> None:
    path.write_text(json.dumps({"articles": articles, "stack": stack, "ceiling": ceiling, "ratios": ratios,
                                "figures": figures}, indent=2) + "\n")
