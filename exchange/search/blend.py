"""How relevance and endorsement combine into one ranking score."""
import math

ENDORSEMENT_WEIGHT = 0.2


def blend(text_score: float, endorsement_score: float) -> float:
    """The ranking score of a result: its text relevance, raised by how much agencies endorse it.

    ``final = text_score * (1 + log1p(endorsement_score) * ENDORSEMENT_WEIGHT)``

    Multiplying keeps relevance in charge: an article that does not match well cannot be
    carried up by endorsements alone, but among equally relevant practices the endorsed
    one comes first. ``log1p`` gives the first endorsements the most effect and flattens
    large scores: one endorsement (score 1) adds about 14%, three adoptions (score 9)
    about 46%, a hundred points about 92%. Negative scores count as none.
    """
    return text_score * (1.0 + math.log1p(max(endorsement_score, 0.0)) * ENDORSEMENT_WEIGHT)


def blend_sql(text_score, endorsement_score):
    """``blend`` as a SQL expression, for backends that rank inside the database."""
    import sqlalchemy as sa

    boost = sa.func.ln(1.0 + sa.func.greatest(endorsement_score, 0.0)) * ENDORSEMENT_WEIGHT
    return text_score * (1.0 + boost)
