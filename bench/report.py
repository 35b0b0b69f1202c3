"""The benchmark's one table."""
import sys


class Table:
    def __init__(self, articles: int):
        self.articles = articles
        self.rows: list[tuple[str, str, str, str, str, str]] = []
        self.notes: list[str] = []
        self.ceiling_rps: float | None = None

    def ceiling(self, rps: float) -> None:
        self.ceiling_rps = rps
        self.row("ceiling: bare Flask + one Jinja template", f"{rps:.0f} req/s", "100%", "yardstick", "", None)

    def row(self, what, figure, ratio, yardstick, budget, met) -> None:
        verdict = "" if met is None else ("met" if met else "MISSED")
        self.rows.append((what, figure, ratio, yardstick, budget, verdict))
        # Each row as soon as it is measured, so a long run that is stopped still tells something.
        print("[bench] row: " + " | ".join(map(str, self.rows[-1])), file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self) -> str:
        header = ("what", "figure", "ratio", "yardstick", "budget", "")
        widths = [max(len(str(r[i])) for r in [header, *self.rows]) for i in range(6)]
        line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
        out = [f"The Exchange benchmark at {self.articles:,} articles", line(header),
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(r) for r in self.rows]
        out += [f"- {n}" for n in self.notes]
        missed = sum(1 for r in self.rows if r[5] == "MISSED")
        out.append(f"{sum(1 for r in self.rows if r[5] == 'met')} budgets met, {missed} missed")
        return "\n".join(out)
