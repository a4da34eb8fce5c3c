"""The commented option file that ``evaluator new`` writes.

The empty strings are deliberate: the file does not validate until the analyst fills in
every field ("must not be empty"), so a half-written option cannot reach a report.
"""

from __future__ import annotations

import re

from .errors import InputError
from .model import SLUG_MAX_LENGTH, SLUG_PATTERN, Library

_TEMPLATE = """\
# Option file: one policy option. Every number traces to a quote in a source.
# Check it with:  evaluator validate {lib} --corpus DIR_OF_SOURCE_DOCUMENTS
id: {option_id}
title: ""          # short display title
summary: ""        # what the option is, in two or three sentences
theatre: ""        # where it plays out: Syria, Afghanistan, Global, ...
tags: []

benefits:
  # One item per distinct argument; another source's view of the same argument is one more
  # assessment of the same item. A benefit may name any criterion: on a cost criterion
  # (one of: {costs}) it lowers that cost.
  - id: {option_id}-benefit-1
    text: ""       # the gain, in one sentence
    criterion: {benefit}    # criteria: {criteria}
    magnitude: 3   # 1-5, or [low, high]
    rationale: ""  # say it is an analyst's judgement, and why this number
    assessments:   # one per source that asserts OR disputes the benefit
      - source: {source}    # sources: {sources}
        likelihood: likely  # how likely this source holds the benefit is (low if it rejects it)
        quote: ""  # verbatim, a whole clause of six words or more
        rationale: ""

risks:
  # A risk may name any criterion: on a benefit criterion (one of: {benefits}) it lowers it.
  - id: {option_id}-risk-1
    text: ""       # the harm, in one sentence
    criterion: {cost}    # criteria: {criteria}
    impact: 3      # 1-5, or [low, high]
    rationale: ""
    assessments:   # one per source that speaks to this risk
      - source: {source}
        likelihood: roughly even chance  # ICD 203 term, a number in [0, 1] or [low, high]
        mitigable: "partly"              # "yes", "partly" or "no"
        quote: ""
        rationale: ""

preconditions:
  # What must hold for the option to deliver; ids can be forced with --assume ID=met|failed|0.7
  - id: {option_id}-precondition-1
    text: ""
    assessments:
      - source: {source}
        likelihood: unlikely
        quote: ""
        rationale: ""

# Every option x criterion cell is evidence (an item on it), unaffected (declared below) or a
# gap (neither: reported, and filled by --gaps). Declare only what you hold, with the reason:
# unaffected:
#   - criterion: {benefit}
#     rationale: ""   # why the option has no material effect there
# A package deal carries another option's items as the same judgements:
# includes: [OTHER_OPTION_ID]
"""


def option_scaffold(library: Library, option_id: str, lib_display: str) -> str:
    """Scaffold text naming the library's own criteria and sources as examples."""
    benefits = [c.id for c in library.criteria if c.direction == "benefit"]
    costs = [c.id for c in library.criteria if c.direction == "cost"]
    sources = [s.id for s in library.sources]
    return _TEMPLATE.format(
        lib=lib_display,
        option_id=option_id,
        benefit=benefits[0] if benefits else '""',
        cost=costs[0] if costs else '""',
        source=sources[0] if sources else '""',
        benefits=", ".join(benefits) or "none declared",
        costs=", ".join(costs) or "none declared",
        sources=", ".join(sources) or "none declared",
        criteria=", ".join(c.id for c in library.criteria) or "none declared",
    )


def check_new_id(option_id: str) -> str:
    """``option_id`` if the model would accept it as an option id, else ``InputError``.

    ``re.fullmatch``, not ``re.match``: ``$`` also matches before a final newline, which
    would let ``"id\n"`` through and name a file with a line break in it.
    """
    if not re.fullmatch(SLUG_PATTERN, option_id):
        shown = option_id if len(option_id) <= 60 else option_id[:57] + "..."
        raise InputError(f"{shown!r} is not a kebab-case id (lowercase letters, digits, hyphens)")
    if len(option_id) > SLUG_MAX_LENGTH:
        raise InputError(
            f"the id is {len(option_id)} characters long; ids are at most {SLUG_MAX_LENGTH}"
        )
    return option_id
