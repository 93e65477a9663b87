import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from territories.declaration import SourceError
from territories.services import load_territories


class Command(BaseCommand):
    help = (
        "Load communes, EPCIs, départements, région, PNR of every geography vintage declared in the source folder's "
        "vintages.toml, and the crosswalk from the ALDO vintage to the others."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=Path(settings.FIXTURES_DIR) / "territories",
            help="Folder holding vintages.toml and the files it names (default: fixtures/territories).",
        )

    def handle(self, *args, source: Path, **options):
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder")
        started = time.perf_counter()
        try:
            summary = load_territories(source)
        except SourceError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] == 0:
            return
        for line in summary.lines():
            self.stdout.write(line)
        state = "changes written" if summary.changed else "nothing changed"
        self.stdout.write(
            self.style.SUCCESS(f"Territories loaded from {source} in {time.perf_counter() - started:.1f} s ({state}).")
        )
