"""Exceptions and the located ``Problem`` record.

Why three kinds: a user can fix an ``InputError`` (one bad option on the command line) or a
``LibraryError`` (problems found in their files), and the CLI turns both into exit code 1
with plain messages. Anything else is a bug and is allowed to raise with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in a scenario library.

    ``line`` and ``column`` are 1-based; 0 means "the whole file" (no position known).
    ``field`` is a dotted path such as ``risks[2].assessments[0].likelihood``.
    ``code`` is a stable kebab-case slug that tests assert on.
    """

    file: str
    line: int
    column: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else f"{self.file}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class EvaluatorError(Exception):
    """Base of every error the user can fix."""

    def lines(self) -> list[str]:
        """The message as the CLI prints it, one line per problem."""
        return [str(self)]


class InputError(EvaluatorError):
    """One actionable problem outside the library files (a CLI option, a missing path)."""


class LibraryError(EvaluatorError):
    """Validation failed; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One ``file:line:col: field: message`` line per problem."""
        return [str(p) for p in self.problems]


class OptionError(InputError):
    """A run option (a :class:`~evaluator.run.RunOptions` field) the library cannot take.

    ``field`` names the field (``"weights"``), ``key`` the entry inside it, if any
    (``"safety"``), so the API speaks of ``weights['safety']`` and the CLI of its own flag.
    """

    def __init__(self, field: str, message: str, key: str | None = None) -> None:
        self.field = field
        self.key = key
        self.detail = message
        where = field if key is None else f"{field}[{key!r}]"
        super().__init__(f"{where}: {message}")
