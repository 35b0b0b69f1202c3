"""How relevance and endorsement combine into one ranking score."""
from exchange.search.blend import blend


def test_endorsement_lifts_equal_relevance_but_does_not_beat_much_better_relevance():
    assert blend(1.0, 1.0) > blend(1.0, 0.0)
    assert blend(1.0, 9.0) > blend(1.0, 1.0)
    assert blend(2.0, 0.0) > blend(1.0, 9.0)
    assert blend(1.0, -5.0) == blend(1.0, 0.0)
