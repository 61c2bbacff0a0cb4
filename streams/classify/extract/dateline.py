"""The country of an article's dateline ("BAMAKO - Roughly twenty soldiers died ..." -> Mali).

Wire copy opens with the place it was filed from, in capitals. The forces and victims an
article leaves unnamed ("troops patrolled the streets", "ten soldiers fell") are most often
that country's own, as those of a town the sentence names are (actors._home_state).
"""

from __future__ import annotations

import re

from streams.classify.extract.parties import country_of

# A line of capitals, then an optional ", West Bank" / ", Dec 7" / "(AP)", then the dash
# (normalize() writes every dash as " - "); a few lines of page chrome may come first.
_DATELINE = re.compile(
    r"^([A-Z][A-Z.'\- ]{1,40}[A-Z])(?:,\s*([^\n\-]{1,40}?))?(?:\s*\([^)\n]{1,20}\))?\s+-\s", re.M
)
_HEAD = 400  # the dateline is within the first lines


def dateline_country(text: str) -> str | None:
    """The country the article was filed from, if it opens with a known place in capitals."""
    m = _DATELINE.search(text, 0, _HEAD)
    if m is None:
        return None
    country = country_of(m.group(1).title())
    if country is None and m.group(2):
        country = country_of(m.group(2).strip())  # "ARAUCA, Colombia"
    return country
