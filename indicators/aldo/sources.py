"""Read the files of a bundle from a folder or a .zip archive, safely and without extracting anything to disk.

An uploaded archive is untrusted: entries with absolute or parent (`..`) paths, symbolic links, encrypted entries,
too many entries and decompression bombs are refused before (or while) reading, with a French explanation.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from .problems import InvalidBundle, Problem

MAX_ENTRIES = 200
MAX_TOTAL_UNCOMPRESSED_BYTES = 1024**3
MAX_COMPRESSION_RATIO = 100
"""Real bundles compress about 4:1; a ratio above this on a large entry (or the whole archive) is a zip bomb."""
RATIO_CHECK_MIN_BYTES = 1024**2
"""Below this uncompressed size a high ratio is harmless (a small, very repetitive file), so it is not checked."""
READ_CHUNK_BYTES = 1024**2

IGNORED_ENTRY_PREFIXES = ("__MACOSX/",)
OFFICE_OPEN_XML_MARKER = "[Content_Types].xml"
OPEN_DOCUMENT_MARKER = "mimetype"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bundle_files(path: str | Path) -> dict[str, bytes]:
    """Return {file name: content} for a bundle folder or .zip (files at the root or in one top-level folder).

    Raises InvalidBundle listing every problem of the archive or folder itself; the content of the files is checked
    by `validation.validate_bundle_files`.
    """
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.is_file():
        raise InvalidBundle([Problem(path.name, None, None, "fichier ou dossier introuvable.")])
    if not zipfile.is_zipfile(path):
        raise InvalidBundle([Problem(path.name, None, None, _describe_non_zip(path))])
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_archive(archive, path.name, path.stat().st_size)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise InvalidBundle(
            [Problem(path.name, None, None, f"archive .zip illisible ou corrompue ({error}) ; recréez l'archive.")]
        ) from error


def _describe_non_zip(path: Path) -> str:
    with path.open("rb") as stream:
        start = stream.read(4096)
    if start.startswith(OLE2_SIGNATURE):
        found = "un classeur Excel ancien format (.xls)"
    elif not start:
        found = "un fichier vide"
    elif b"\x00" not in start and (b"," in start or b";" in start) and b"\n" in start:
        found = "un fichier texte (un CSV seul ?)"
    else:
        found = "un fichier qui n'est pas une archive .zip"
    return (
        f"{found} a été fourni ; attendu : une archive .zip contenant les fichiers CSV du millésime et "
        "manifest.json (ou un dossier)."
    )


def _read_archive(archive: zipfile.ZipFile, archive_name: str, archive_size: int) -> dict[str, bytes]:
    entries = [info for info in archive.infolist() if not info.is_dir() and not _is_ignored(info.filename)]
    problems = _archive_structure_problems(archive, entries, archive_name, archive_size)
    if problems:
        raise InvalidBundle(problems)
    names = _names_without_common_folder([info.filename.replace("\\", "/") for info in entries])
    problems = _layout_problems(names, archive_name)
    if problems:
        raise InvalidBundle(problems)

    files: dict[str, bytes] = {}
    total_read = 0
    for info, name in zip(entries, names, strict=True):
        content = _read_entry_with_cap(archive, info, archive_name, MAX_TOTAL_UNCOMPRESSED_BYTES - total_read)
        total_read += len(content)
        files[name] = content
    return files


def _archive_structure_problems(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], archive_name: str, archive_size: int
) -> list[Problem]:
    def problem(message: str) -> Problem:
        return Problem(archive_name, None, None, message)

    all_names = archive.namelist()
    if OFFICE_OPEN_XML_MARKER in all_names:
        return [
            problem(
                "ce fichier est un document Office (classeur Excel .xlsx ?) renommé en .zip ; attendu : une archive "
                ".zip contenant les fichiers CSV (UTF-8, séparés par des virgules) et manifest.json."
            )
        ]
    if _is_open_document(archive):
        return [
            problem(
                "ce fichier est un document OpenDocument (classeur .ods ?) renommé en .zip ; attendu : une archive "
                ".zip contenant les fichiers CSV et manifest.json."
            )
        ]
    if not entries:
        return [problem("l'archive est vide ; attendu : les fichiers CSV du millésime et manifest.json.")]
    if len(all_names) > MAX_ENTRIES:
        return [problem(f"l'archive contient {len(all_names)} entrées ; au plus {MAX_ENTRIES} sont acceptées.")]

    problems = []
    for info in archive.infolist():
        name = info.filename
        if _is_unsafe_name(name):
            problems.append(
                problem(f"l'entrée « {name} » a un chemin absolu ou remonte dans l'arborescence (« .. ») ; refusée.")
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            problems.append(
                problem(f"l'entrée « {name} » est un lien symbolique ; attendu : des fichiers ordinaires.")
            )
        if info.flag_bits & 0x1:
            problems.append(
                problem(
                    f"l'entrée « {name} » est chiffrée (protégée par un mot de passe) ; attendu : sans mot de passe."
                )
            )
        if info.file_size >= RATIO_CHECK_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            problems.append(
                problem(
                    f"l'entrée « {name} » se décompresse en {info.file_size} octets pour {info.compress_size} octets "
                    f"compressés (plus de {MAX_COMPRESSION_RATIO} fois) : archive suspecte (bombe de décompression)."
                )
            )
    declared_total = sum(info.file_size for info in archive.infolist())
    if declared_total > MAX_TOTAL_UNCOMPRESSED_BYTES:
        problems.append(
            problem(
                f"l'archive se décompresse en {declared_total} octets ; au plus {MAX_TOTAL_UNCOMPRESSED_BYTES} "
                "octets sont acceptés."
            )
        )
    elif declared_total >= RATIO_CHECK_MIN_BYTES and declared_total > MAX_COMPRESSION_RATIO * archive_size:
        problems.append(
            problem(
                f"l'archive ({archive_size} octets) se décompresse en {declared_total} octets, plus de "
                f"{MAX_COMPRESSION_RATIO} fois sa taille : archive suspecte (bombe de décompression)."
            )
        )
    return problems


def _is_open_document(archive: zipfile.ZipFile) -> bool:
    """OpenDocument files start with a tiny stored "mimetype" entry; only a tiny one is read."""
    try:
        info = archive.getinfo(OPEN_DOCUMENT_MARKER)
    except KeyError:
        return False
    return info.file_size < 100 and archive.read(info).startswith(b"application/vnd.oasis.opendocument")


def _is_ignored(name: str) -> bool:
    """Operating-system litter: macOS resource forks and hidden files such as .DS_Store."""
    return name.startswith(IGNORED_ENTRY_PREFIXES) or PurePosixPath(name).name.startswith(".")


def _is_unsafe_name(name: str) -> bool:
    normalized = name.replace("\\", "/")
    parts = PurePosixPath(normalized).parts
    has_drive_letter = len(normalized) >= 2 and normalized[1] == ":"
    return normalized.startswith("/") or has_drive_letter or ".." in parts


def _names_without_common_folder(names: list[str]) -> list[str]:
    """Strip one top-level folder shared by every file ("hetre/clc_areas.csv" -> "clc_areas.csv")."""
    split = [name.split("/", 1) for name in names]
    folders = {parts[0] for parts in split}
    if len(folders) == 1 and all(len(parts) == 2 for parts in split):
        return [parts[1] for parts in split]
    return names


def _layout_problems(names: list[str], archive_name: str) -> list[Problem]:
    problems = []
    for name in names:
        if "/" in name:
            problems.append(
                Problem(
                    archive_name,
                    None,
                    None,
                    f"le fichier « {name} » est dans un sous-dossier ; attendu : tous les fichiers à la racine de "
                    "l'archive (ou dans un seul dossier).",
                )
            )
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(
            Problem(archive_name, None, None, f"le fichier « {name} » figure plusieurs fois dans l'archive.")
        )
    return problems


def _read_entry_with_cap(archive: zipfile.ZipFile, info: zipfile.ZipInfo, archive_name: str, budget: int) -> bytes:
    """Decompress one entry, stopping as soon as it exceeds its declared size or the remaining byte budget."""
    limit = min(info.file_size, budget)
    chunks = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(READ_CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise InvalidBundle(
                    [
                        Problem(
                            archive_name,
                            None,
                            None,
                            f"l'entrée « {info.filename} » se décompresse au-delà de la taille déclarée ou de la "
                            "limite acceptée : archive suspecte (bombe de décompression).",
                        )
                    ]
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _read_folder(folder: Path) -> dict[str, bytes]:
    children = [child for child in folder.iterdir() if not child.name.startswith(".")]
    subfolders = [child for child in children if child.is_dir() and not child.is_symlink()]
    if len(subfolders) == 1 and len(children) == 1:
        return _read_folder(subfolders[0])
    if len(children) > MAX_ENTRIES:
        raise InvalidBundle(
            [Problem(folder.name, None, None, f"le dossier contient {len(children)} entrées ; au plus {MAX_ENTRIES}.")]
        )
    problems = [
        Problem(child.name, None, None, "lien symbolique refusé ; attendu : un fichier ordinaire.")
        for child in children
        if child.is_symlink()
    ]
    files = [child for child in children if child.is_file() and not child.is_symlink()]
    total_size = sum(child.stat().st_size for child in files)
    if total_size > MAX_TOTAL_UNCOMPRESSED_BYTES:
        problems.append(
            Problem(
                folder.name,
                None,
                None,
                f"le dossier contient {total_size} octets ; au plus {MAX_TOTAL_UNCOMPRESSED_BYTES} sont acceptés.",
            )
        )
    if problems:
        raise InvalidBundle(problems)
    return {child.name: child.read_bytes() for child in sorted(files)}
