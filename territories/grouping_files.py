"""Groupings files editors import (SCoT, Pays, PNR, named groupings): one CSV row per member, every problem reported
with its file, row and column, the members resolved to the ALDO communes (``territories.groupings``)."""

import csv
import io
import re
from dataclasses import dataclass, field

from . import vintages
from .groupings import CODE_FORMATS, EXPECTED_FORMAT, MAX_MEMBERS, MEMBER_KINDS, Member, Resolution, resolve
from .models import GROUPING_KINDS, Grouping, Territory

GROUPING_CODE = re.compile(r"[0-9A-Za-z-]{1,16}")
COLUMNS = ("kind", "code", "name", "member_kind", "member_code", "geography")
MAX_FILE_BYTES = 2 * 1024 * 1024
NUL_CHARACTER = "Caractère nul (NUL) interdit : enregistrez le fichier en CSV texte."


@dataclass
class GroupingDraft:
    """One grouping of an imported file: what the file says, the rows it comes from, how its members resolve."""

    kind: str
    code: str
    name: str
    geography: str
    first_row: int
    members: list[Member] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    """The file row of each member."""
    resolution: Resolution | None = None

    def as_dict(self) -> dict:
        """What the publication applies and the review shows (JSON)."""
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "geography": self.geography,
            "members": [[member.kind, member.code] for member in self.members],
            "communes_2018": list(self.resolution.composition.codes),
            "epci_union": self.resolution.composition.epci_union,
        }


def problem(file: str, row: int | None, column: str | None, message: str) -> dict:
    """A problem of an imported file, in the shape of the import reports (file, row, column, French message)."""
    return {"file": file, "row": row, "column": column, "message": message}


def defined_by_reference_files() -> set[tuple[str, str]]:
    """(kind, code) of the groupings the reference files give with their communes (the PNR Scarpe-Escaut): an import
    cannot redefine them. Those the files name without communes (the other PNR) can be given their communes."""
    imported = Grouping.objects.filter(is_active=True).values_list("kind", "code")
    with_members = Territory.objects.filter(kind__in=GROUPING_KINDS, memberships__isnull=False)
    return set(with_members.values_list("kind", "code").distinct()) - set(imported)


def read_groupings(content: bytes, file_name: str) -> tuple[list["GroupingDraft"], list[dict]]:
    """The groupings of a CSV file (UTF-8, comma or semicolon separated, one row per member), and every problem found
    (file, row, column, French message; spreadsheet rows: header = 1)."""
    problems: list[dict] = []
    if len(content) > MAX_FILE_BYTES:
        return [], [problem(file_name, None, None, f"Le fichier dépasse {MAX_FILE_BYTES // 1024 // 1024} Mo.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        return [], [problem(file_name, line, None, "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8.")]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        found = ", ".join(header) if header else "aucune"
        return [], [
            problem(
                file_name,
                1,
                None,
                f"Colonne(s) manquante(s) : {', '.join(missing)}. Colonnes attendues : {', '.join(COLUMNS)} "
                f"(trouvées : {found}).",
            )
        ]
    reader.fieldnames = header
    drafts: dict[tuple[str, str], GroupingDraft] = {}
    kinds = [kind.value for kind in GROUPING_KINDS]
    existing = defined_by_reference_files()
    for row in reader:
        line = reader.line_num
        raw = {column: row.get(column) or "" for column in COLUMNS}
        # NUL characters can be neither stored nor shown: dropped, and reported
        cells = {column: value.replace("\x00", "").strip() for column, value in raw.items()}
        row_problems = [(column, NUL_CHARACTER) for column, value in raw.items() if "\x00" in value]
        row_problems += _row_problems(cells, kinds, existing)
        problems += [problem(file_name, line, column, message) for column, message in row_problems]
        if row_problems:
            continue
        key = (cells["kind"], cells["code"])
        draft = drafts.setdefault(key, GroupingDraft(*key, cells["name"], cells["geography"], line))
        for column in ("name", "geography"):
            if cells[column] != getattr(draft, column):
                problems.append(
                    problem(
                        file_name,
                        line,
                        column,
                        f"« {cells[column]} » diffère de la ligne {draft.first_row} du même regroupement "
                        f"({cells['kind']} {cells['code']}) : « {getattr(draft, column)} ».",
                    )
                )
                break
        else:
            draft.members.append(Member(cells["member_kind"], cells["member_code"].upper()))
            draft.rows.append(line)
    if not drafts and not problems:
        problems.append(problem(file_name, None, None, "Le fichier ne contient aucun regroupement."))
    for draft in drafts.values():
        if len(draft.members) > MAX_MEMBERS:
            problems.append(
                problem(file_name, draft.first_row, "code", f"Plus de {MAX_MEMBERS} membres pour {draft.name}.")
            )
            continue
        draft.resolution = resolve(draft.members, draft.geography)
        for member, line in zip(draft.resolution.members, draft.rows, strict=True):
            if member.problem:
                problems.append(problem(file_name, line, "member_code", member.problem))
    return list(drafts.values()), sorted(problems, key=lambda found: found["row"] or 0)


def _row_problems(cells: dict[str, str], kinds: list[str], existing: set) -> list[tuple[str, str]]:
    """(column, French message) of what is wrong in one row, each column checked on its own."""
    found = []
    if cells["kind"] not in kinds:
        found.append(("kind", f"Type « {cells['kind'][:40]} » inconnu : {', '.join(kinds)}."))
    if not GROUPING_CODE.fullmatch(cells["code"]):
        found.append(("code", f"Code « {cells['code'][:40]} » invalide : 1 à 16 lettres, chiffres ou tirets."))
    elif (cells["kind"], cells["code"]) in existing:
        found.append(
            (
                "code",
                f"{cells['kind']} {cells['code']} a déjà ses communes dans les fichiers de référence du site : "
                "il ne peut pas être redéfini par un import.",
            )
        )
    if not cells["name"]:
        found.append(("name", "Nom manquant."))
    elif len(cells["name"]) > 200:
        found.append(("name", "Nom trop long (200 caractères au plus)."))
    if cells["member_kind"] not in MEMBER_KINDS:
        found.append(("member_kind", f"Type de membre « {cells['member_kind'][:40]} » inconnu : commune ou epci."))
    elif not CODE_FORMATS[cells["member_kind"]].fullmatch(cells["member_code"].upper()):
        found.append(
            (
                "member_code",
                f"« {cells['member_code'][:40]} » n'est pas un code valide : {EXPECTED_FORMAT[cells['member_kind']]}.",
            )
        )
    if cells["geography"] not in vintages.CODES:
        choices = ", ".join(f"{v.code} ({v.short_label})" for v in vintages.VINTAGES)
        found.append(("geography", f"Géographie « {cells['geography'][:40]} » inconnue : {choices}."))
    return found
