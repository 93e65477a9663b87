from django.core.management.base import BaseCommand, CommandError

from indicators.models import Release
from indicators.selectors import export_frame
from territories.models import TerritoryKind


class Command(BaseCommand):
    help = "Écrit les valeurs enregistrées d'un millésime en CSV « tidy » sur la sortie standard."

    def add_arguments(self, parser):
        parser.add_argument("--release", required=True, help="Nom du millésime (ex. chanterelle)")
        parser.add_argument("--kind", choices=TerritoryKind.values, help="Type de territoire")
        parser.add_argument("--code", help="Code d'un territoire (INSEE, SIREN…)")

    def handle(self, *args, release: str, kind: str | None, code: str | None, **options):
        chosen = (
            Release.objects.published().filter(slug=release).first()
            or Release.objects.filter(slug=release)
            .exclude(status=Release.Status.DISCARDED)
            .order_by("-revision")
            .first()
        )
        if chosen is None:
            raise CommandError(f"Millésime inconnu : « {release} ».")
        frame = export_frame(chosen, kind=kind, code=code)
        if frame.empty:
            raise CommandError("Aucune valeur pour ce territoire et ce millésime.")
        self.stdout.write(frame.to_csv(index=False, lineterminator="\n"), ending="")
