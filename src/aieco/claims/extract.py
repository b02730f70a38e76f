"""Finding quantitative claims: the first three stages of the checker, run one way on a text read once.

segment (sentences, dateline) → quantities (numbers with unit, qualifier and interval) → resolve (subject,
measure, unit, period with provenance and discourse context). :func:`extract` runs them; the evidence and
decide stages (``aieco.claims.check``) take its claims.

>>> [c.kind for c in extract("China filed more than 1.5 million AI patent applications in 2024.")]
['count']
"""

from __future__ import annotations

from aieco.claims.quantities import quantities
from aieco.claims.resolve import find_period, resolve, topic
from aieco.claims.segment import Segmented, segment
from aieco.model import Claim

__all__ = ["extract", "extract_segmented", "find_period", "topic"]


def extract_segmented(seg: Segmented, *, as_of: str | None = None) -> list[Claim]:
    """The claims of an already segmented text."""
    return resolve(seg, [quantities(s.text, s.start) for s in seg.sentences], as_of=as_of)


def extract(text: str, *, as_of: str | None = None) -> list[Claim]:
    """Every quantitative claim in ``text``, in order, with offsets into ``text``."""
    return extract_segmented(segment(text), as_of=as_of)
