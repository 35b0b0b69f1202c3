"""The Markdown each kind of article starts from."""

CASE_STUDY = """## Context

Who you are, where, and the situation before you started.

## Challenge

The problem you set out to solve, and for whom.

## What we did

The steps you took, in order, with the people and tools involved.

## Results

What changed, with numbers where there are any.

| Measure | Before | After |
| --- | --- | --- |
|  |  |  |

## Challenges and failures

What went wrong or was harder than expected.

## Conditions for success

What had to be true for this to work.

## Could it work elsewhere

Which other agencies could use this, and what they would need to change.

## Lessons learned

- 

## Contact

Team name and a way to reach you.
"""

PLAYBOOK = """A sentence or two on what this playbook helps a team do.

## Play 1: Name the first play

Why this play matters, in a short paragraph.

- [ ] A task to do
- [ ] Another task

### Key questions

- A question the team should be able to answer

## Play 2: Name the next play

Why this play matters.

- [ ] A task to do

### Key questions

- A question the team should be able to answer
"""

STARTERS = {"case_study": CASE_STUDY, "playbook": PLAYBOOK}
DEFAULT_POLICY = {"case_study": "agency", "playbook": "open"}


def starter(kind: str) -> str:
    """The template body for a kind of article."""
    return STARTERS.get(kind, CASE_STUDY)
