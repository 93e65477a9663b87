"""Problems found while reading or validating an ALDO release bundle ("millésime").

A problem names the file (and, when it applies, the row and column) and says in French what was found and what was
expected, so that the person who prepared the bundle can fix every problem in one go.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_TEXT_LENGTH = 1000
"""Problems are stored with the import job and shown to the editor: a huge cell quoted in a message is cut."""


@dataclass(frozen=True)
class Problem:
    file: str
    """File name inside the bundle (e.g. "clc_areas.csv"), or the archive name for problems of the archive itself."""
    row: int | None
    """Row number as a spreadsheet shows it (header = row 1, first data row = row 2); None if not row-specific."""
    column: str | None
    message: str
    """French: what was found and what was expected."""

    def __post_init__(self) -> None:
        for name in ("file", "column", "message"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, storable_text(value))

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        location = self.file
        if self.row is not None:
            location += f", ligne {self.row}"
        if self.column is not None:
            location += f", colonne « {self.column} »"
        return f"{location} : {self.message}"


class InvalidBundle(Exception):
    """The bundle cannot be imported; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("InvalidBundle needs at least one problem")
        self.problems = list(problems)
        super().__init__(summarize_problems(self.problems))


def storable_text(text: str) -> str:
    """``text`` as a database column and a page can hold it: NUL characters shown as ␀, cut at MAX_TEXT_LENGTH."""
    text = text.replace("\x00", "\u2400")
    return text if len(text) <= MAX_TEXT_LENGTH else text[: MAX_TEXT_LENGTH - 1] + "…"


def summarize_problems(problems: list[Problem]) -> str:
    """Short French summary, e.g. "Le millésime contient 12 problèmes (premier : clc_areas.csv, ligne 3 : …)"."""
    count = len(problems)
    if count == 1:
        return f"Le millésime contient 1 problème : {problems[0]}"
    return f"Le millésime contient {format_count(count)} problèmes (premier : {problems[0]})"


def format_count(number: int) -> str:
    """French thousands separator: 1234 -> "1 234"."""
    return f"{number:,}".replace(",", " ")
