"""A rule's pattern as a matcher: exact text, or a regular expression run safely.

Patterns are user input and are run against every window title of a month: a pattern like
`(a+)+$` takes exponential time in a backtracking engine. Regular expressions therefore run
in RE2, whose time is linear in the input, and the input is cut to a bounded length. RE2
has no lookaround and no backreferences; such a pattern is refused, saying where.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import re2

from timetracker.errors import InvalidInput

Match = Literal["exact", "regex"]
Matcher = Callable[[str], bool]

LONGEST_PATTERN = 500
# Longer titles and URLs are matched on their first characters only.
LONGEST_SUBJECT = 2000


class PatternError(InvalidInput):
    """A pattern that cannot be run, and where it goes wrong (0-based offset)."""

    code = "invalid_pattern"

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.position = position


def matcher(pattern: str, match: Match, ignore_case: bool) -> Matcher:
    """A function telling whether a value matches: the whole value for `exact`, anywhere in
    it for `regex` (anchor with ^ and $ to match the whole)."""
    if not pattern:
        raise PatternError("the pattern must not be empty", 0)
    if len(pattern) > LONGEST_PATTERN:
        raise PatternError(f"the pattern must be at most {LONGEST_PATTERN} characters", LONGEST_PATTERN)
    if match == "exact":
        wanted = pattern.casefold() if ignore_case else pattern
        if ignore_case:
            return lambda value: value.casefold() == wanted
        return lambda value: value == wanted
    compiled = _compiled(pattern, ignore_case)
    return lambda value: compiled.search(value[:LONGEST_SUBJECT]) is not None


def _compiled(pattern: str, ignore_case: bool) -> re2._Regexp:
    # Python's parser first, for its precise position of a syntax error; compiling (unlike
    # matching) is not exponential in it.
    try:
        re.compile(pattern)
    except re.error as error:
        raise PatternError(f"invalid regular expression: {error.msg}", error.pos or 0) from None
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        fragment = reason.rsplit(": ", 1)[-1]
        position = max(pattern.find(fragment), 0) if fragment else 0
        raise PatternError(
            f"this pattern cannot be run safely ({reason}); lookaround and backreferences are not supported",
            position,
        ) from None
