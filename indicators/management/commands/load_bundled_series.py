from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from indicators.models import SeriesVersion

BUNDLED_SERIES = ["emissions-ges", "snbc-budgets-carbone", "snbc-trajectoire-utcatf", "cultures-energetiques-ges"]


class Command(BaseCommand):
    help = (
        "Importe et publie les séries d'indicateurs livrées avec le projet (fixtures/series), si elles ne le sont pas."
    )

    def handle(self, *args, **options):
        for slug in BUNDLED_SERIES:
            if SeriesVersion.objects.published().filter(slug=slug).exists():
                self.stdout.write(f"{slug} : déjà publiée.")
                continue
            call_command("import_series", settings.FIXTURES_DIR / "series" / slug, publish=True)
