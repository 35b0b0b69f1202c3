"""Stop words and stems: what a word becomes in search."""
from exchange.search import words


def test_question_words_are_stop_words_and_subject_words_are_not():
    assert {"how", "what", "did", "other", "papers", "describe"} <= words.STOP_WORDS
    assert not {"information", "use", "need", "means", "council", "data"} & words.STOP_WORDS


def test_snowball_stems_join_the_forms_of_a_word():
    assert words.stem("collections") == words.stem("collecting") == words.stem("collection") == "collect"
    assert words.stem("generously") == "generous"  # Porter made this "gener"
