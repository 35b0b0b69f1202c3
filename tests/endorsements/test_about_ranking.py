"""The "How ranking works" page: endorse vs adopt, the weights, the own-agency rule, trending's half-life,
the search blend, and a worked example computed by the rules themselves (issue #17)."""
import html

from exchange.endorsements import ranking
from exchange.search.blend import blend


def test_the_page_explains_every_rule(client):
    page = html.unescape(client.get("/about/ranking").data.decode())
    for words in ("I have seen this work and recommend it", "My agency now uses this practice",
                  "counts a quarter", "halves every 30 days", "last 180 days",
                  "text relevance × (1 + 0.05 × e / (e + 5))", "A worked example"):
        assert words in page, words


def test_the_worked_example_is_what_the_rules_give():
    example = ranking.worked_example()
    # Beta adopts (3), Cedar endorses (1), a second Cedar person (1/2), Alder's own adoption (3 x 0.25).
    assert [round(weight, 4) for _, weight, _ in example["rows"]] == [3, 1, 0.5, 0.75]
    assert example["score"] == 5.25
    assert example["blended"] == blend(10.0, 5.25)
    assert example["rows"][3][2] == 0.0  # own agency: nothing in trending


def test_the_page_shows_the_example_numbers(client):
    page = client.get("/about/ranking").data.decode()
    assert "score is 5.25" in page
    assert f"= {ranking.format_score(blend(10.0, 5.25))}" in page
