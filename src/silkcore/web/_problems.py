"""The one check's answer problems, in the page's language.

The check words an answer's problem in English from one list of templates
(:data:`silkcore._answers.PROBLEMS`, marked for extraction, so the questionnaire's catalogs
translate them). A message beside a field is matched back to its template here - the words
are still the check's, only translated - and the values it names are kept as they were.
Anything that matches no template (a schema message, say) is shown as the check worded it.
"""

from __future__ import annotations

import functools
import re

from .._answers import PROBLEMS

__all__ = ["problem_of"]

_FIELD = re.compile(r"\{(\w+)\}")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each template with a pattern that reads its values back out of a worded message."""
    found = []
    for template in PROBLEMS:
        parts = _FIELD.split(template)  # literal, name, literal, name, ..., literal
        pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        found.append((template, re.compile(f"^{pattern}$", re.S)))
    return tuple(found)


def problem_of(text: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The check's template ``text`` was worded from, with the values it names; None if none."""
    for template, pattern in _patterns():
        match = pattern.match(text)
        if match:
            return template, tuple(match.groupdict().items())
    return None
