"""Exception types shared by every part of the suite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence


class AccsynDccError(Exception):
    """Base class of every error the suite raises on purpose; its text is meant for artists."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, naming the field (dotted path) and the offending value."""

    field: str
    value: Any
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"


class ValidationError(AccsynDccError, ValueError):
    """Raised when a value is refused; carries every problem found, each naming its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("ValidationError needs at least one problem")
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    @classmethod
    def single(cls, field: str, value: Any, message: str) -> ValidationError:
        return cls([Problem(field, value, message)])


class ScanCancelled(AccsynDccError):
    """The artist cancelled the scan."""

    def __init__(self, message: str = "The scan was cancelled.") -> None:
        super().__init__(message)
