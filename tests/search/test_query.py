"""Cleaning and capping what people type; synonyms."""
from exchange.config import SETTINGS
from exchange.search import query
from exchange.search.query import MAX_CHARS, MAX_TERMS, Synonyms


def test_control_and_invisible_characters_become_spaces():
    parsed = query.parse("bud\x00get\u202e parks\x1b[0m")
    assert parsed.original == "bud get parks [0m" and not parsed.shortened


def test_a_query_is_capped_at_64_content_words_with_a_notice():
    assert MAX_TERMS == 64
    parsed = query.parse(" ".join(f"word{n}" for n in range(64)))
    assert len(parsed.original.split()) == 64 and not parsed.shortened
    parsed = query.parse(" ".join(f"what is word{n}" for n in range(100)))  # stop words are not counted
    assert parsed.shortened and parsed.original.split()[-1] == "word63" and len(parsed.content_words) == 64


def test_a_query_is_capped_at_max_chars_on_a_word_boundary():
    parsed = query.parse("abcdefghij" * 150 + " " + "klmnopqrst" * 40 + " " + "abcdefghij" * 20)
    assert len(parsed.original) <= MAX_CHARS and parsed.shortened
    assert parsed.original.split()[-1] == "klmnopqrst" * 40


def test_stop_words_are_dropped_outside_quotes_only():
    parsed = query.parse('how did other councils reduce "the cost of" bins')
    assert parsed.text == 'councils reduce "the cost of" bins'
    assert parsed.original == 'how did other councils reduce "the cost of" bins'
    assert parsed.content_words == ("councils", "reduce", "cost", "bins")
    assert "how" not in parsed.words


def test_a_query_of_stop_words_only_is_searched_as_typed():
    assert query.parse("what is it").text == "what is it"


def test_minus_leaves_out_a_word_or_phrase_but_not_inside_a_word_or_quotes():
    assert query.parse('parks -budget -"open data"').text == 'parks NOT budget NOT "open data"'
    assert query.parse('re-use "a -b" e-government').text == 're-use "a -b" e-government'
    assert query.parse("-the parks").text == "parks"
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
