"""How relevance and endorsement combine into one ranking score."""

MAX_LIFT = 0.05  # endorsements raise a text score by less than 5%
HALF_LIFT_SCORE = 5.0  # the endorsement score that gives half of MAX_LIFT


def blend(text_score: float, endorsement_score: float) -> float:
    """The ranking score of a result: its text relevance, raised a little by how much agencies endorse it.

    ``final = text_score * (1 + MAX_LIFT * e / (e + HALF_LIFT_SCORE))``, with ``e`` the
    endorsement score (section 4 of DESIGN.md; negative counts as none).

    - Bounded: the factor is at least 1 and always below ``1 + MAX_LIFT`` (1.05), however
      many endorsements. So endorsements only reorder results whose text relevance is within
      5% of each other ("comparably relevant"); a result less relevant than that never passes
      a more relevant one, and a result with no text relevance (score 0) stays at 0.
    - Among equally relevant practices the endorsed one comes first, and the more endorsed
      the higher: one endorsement (score 1) lifts by 0.8%, an adoption (3) by 1.9%, five
      points by 2.5%, fifty by 4.5%.
    - Measured on the CISI test collection (``python -m bench relevance``) with endorsement
      scores assigned at random: nDCG@10 falls by about 1% (budget: 2%). The earlier,
      unbounded ``1 + 0.2 * log1p(e)`` cost 9-12%: it let a well-endorsed article that
      merely mentions a word pass the articles about it.
    """
    endorsement = max(endorsement_score, 0.0)
    return text_score * (1.0 + MAX_LIFT * endorsement / (endorsement + HALF_LIFT_SCORE))


def blend_sql(text_score, endorsement_score):
    """``blend`` as a SQL expression, for backends that rank inside the database."""
    import sqlalchemy as sa

    endorsement = sa.func.greatest(endorsement_score, 0.0)
    return text_score * (1.0 + MAX_LIFT * endorsement / (endorsement + HALF_LIFT_SCORE))
