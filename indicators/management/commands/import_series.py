from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.numbers import plural
from indicators.series.services import import_series, publish_series
from indicators.series.validation import METADATA_FILE, VALUES_FILE, InvalidSeries


class Command(BaseCommand):
    help = (
        f"Importe une série d'indicateur : un dossier contenant {METADATA_FILE} et {VALUES_FILE} (validation, mise en "
        "attente ; --publish la publie)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help=f"Dossier contenant {METADATA_FILE} et {VALUES_FILE}")
        parser.add_argument("--publish", action="store_true", help="Publier la série si elle est valide")

    def handle(self, *args, source: Path, publish: bool, **options):
        files = [source / METADATA_FILE, source / VALUES_FILE]
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"Fichier introuvable : {', '.join(missing)}.")
        metadata, values = files
        try:
            version = import_series(metadata.read_bytes(), metadata.name, values.read_bytes(), values.name)
        except InvalidSeries as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(str(invalid)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{version} prête : {plural(version.row_count, 'valeur')} (n° {version.pk}).")
        )
        if publish:
            publish_series(version)
            self.stdout.write(self.style.SUCCESS(f"{version} publiée."))
