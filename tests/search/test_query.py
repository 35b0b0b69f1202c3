"""Cleaning and capping what people type; synonyms."""
from exchange.config import SETTINGS
from exchange.search import query
from exchange.search.query import MAX_CHARS, MAX_TERMS, Synonyms


def test_control_and_invisible_characters_become_spaces():
    parsed = query.parse("bud\x00get\u202e parks\x1b[0m")
    assert parsed.original == "bud get parks [0m" and not parsed.shortened


def test_a_query_is_capped_at_16_terms_with_a_notice():
    parsed = query.parse(" ".join(f"word{n}" for n in range(40)))
    assert len(parsed.original.split()) == MAX_TERMS and parsed.shortened


def test_a_query_is_capped_at_256_characters_on_a_word_boundary():
    parsed = query.parse("abcdefghij " * 20)
    assert len(parsed.original) <= MAX_CHARS and parsed.shortened
    assert parsed.original.split()[-1] == "abcdefghij"
    huge = query.parse("x" * 100_000)
    assert len(huge.original) == MAX_CHARS and huge.shortened


def test_fullwidth_characters_are_normalised():
    assert query.parse("ｂｕｄｇｅｔ").original == "budget"


def test_synonyms_expand_either_way_outside_quotes_only():
    synonyms = Synonyms.parse("# acronyms\nfoi = freedom of information\nsme, smb = small business\n")
    assert synonyms.expand("FOI requests") == '(foi OR "freedom of information") requests'
    assert synonyms.expand("freedom of information act") == '(foi OR "freedom of information") act'
    assert synonyms.expand("smb grants") == '(sme OR smb OR "small business") grants'
    assert synonyms.expand('"foi" requests') == '"foi" requests'
    assert synonyms.expand("foil") == "foil"


def test_the_shipped_synonyms_file_has_public_sector_acronyms():
    synonyms = Synonyms.load(SETTINGS["SEARCH_SYNONYMS"].default)
    groups = {group[0]: group for group in synonyms.groups}
    for acronym in ("foi", "pb", "gdpr", "api", "kpi", "smb"):
        assert acronym in groups, acronym
    assert "participatory budgeting" in groups["pb"]


def test_a_missing_synonyms_file_means_no_synonyms(tmp_path):
    assert Synonyms.load(tmp_path / "missing.txt").expand("foi") == "foi"
