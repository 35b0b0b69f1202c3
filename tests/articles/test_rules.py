"""Input rules for articles: lengths, canonical tags and slugs."""
import pytest

from exchange.articles import rules
from exchange.errors import Invalid
from exchange.text import canonical_slug


@pytest.mark.parametrize("variant",
                         ["Open Data", "open-data", " open data ", "OPEN DATA", "Open\u00a0Data", "open_data"])
def test_tag_variants_are_one_tag(variant):
    assert rules.clean_tags([variant])[0][0] == "open-data"


def test_tags_are_deduplicated_keeping_the_first_name():
    assert rules.clean_tags(["Open Data", "open-data", " open data "]) == [("open-data", "Open Data")]


def test_cafe_typed_two_ways_is_one_slug():
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"
    assert canonical_slug(composed) == canonical_slug(decomposed) == "café"


def test_invisible_characters_are_stripped_from_slugs():
    assert canonical_slug("open\u200b\u2060data\ufeff") == "opendata"


@pytest.mark.parametrize("title", ["a/b", "a.b", "a\\b", "..", "/", "\\", "....", "   "])
def test_slug_never_contains_separators_or_is_empty(title):
    slug = rules.base_slug(title)
    assert slug and "/" not in slug and "." not in slug and "\\" not in slug


@pytest.mark.parametrize("word", ["new", "edit", "admin", "history", "search"])
def test_slug_never_equals_a_route_word(word):
    assert rules.base_slug(word) != word


def test_nine_tags_refused():
    with pytest.raises(Invalid) as refused:
        rules.clean_tags([f"tag {i}" for i in range(9)])
    assert "tags" in refused.value.fields


def test_long_tag_refused():
    with pytest.raises(Invalid):
        rules.clean_tags(["x" * 41])


@pytest.mark.parametrize("title", ["ab", "  ab  ", "\u200b\u200bab", ""])
def test_short_titles_refused_after_stripping(title):
    with pytest.raises(Invalid) as refused:
        rules.clean_title(title)
    assert "title" in refused.value.fields


def test_title_over_200_refused():
    with pytest.raises(Invalid):
        rules.clean_title("x" * 201)
    assert rules.clean_title("x" * 200) == "x" * 200


def test_summary_limits():
    with pytest.raises(Invalid):
        rules.clean_summary("")
    with pytest.raises(Invalid):
        rules.clean_summary("x" * 401)


def test_body_over_100_kb_refused_with_a_clear_message():
    with pytest.raises(Invalid) as refused:
        rules.clean_body("é" * 60_000)  # 120,000 bytes
    assert "too long" in refused.value.message and "bytes" in refused.value.message


def test_nul_byte_refused():
    with pytest.raises(Invalid):
        rules.clean_body("hello\x00world")
    with pytest.raises(Invalid):
        rules.clean_title("hel\x00lo")


def test_unencodable_text_refused():
    with pytest.raises(Invalid):
        rules.clean_body("lone surrogate \ud800 here")


@pytest.mark.parametrize("value", [0.5, "six", 6, -1, True, "3.5"])
def test_bad_evidence_levels_refused(value):
    with pytest.raises(Invalid):
        rules.clean_evidence_level(value)


def test_all_problems_reported_together():
    with pytest.raises(Invalid) as refused:
        rules.clean_fields({"title": "x", "summary": "", "kind": "poem"}, required=("title", "kind", "summary"))
    assert {"title", "summary", "kind"} <= set(refused.value.fields)


@pytest.mark.parametrize("value", ["a--b", "a - - b", "a__-b", "a_-_b", "--a--", "a\u200b-\u200b-b", "a -- b"])
def test_a_canonical_slug_never_holds_two_hyphens_in_a_row(value):
    """A draft's private address is its clean slug, "--", a random part: no clean slug may look like one."""
    from exchange.text import canonical_slug

    assert "--" not in canonical_slug(value)
    assert "--" not in rules.base_slug(value)


def test_an_explicit_slug_with_two_hyphens_in_a_row_is_refused():
    with pytest.raises(Invalid):
        rules.clean_slug("road--safety")
