from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from indicators.models import Release

# Oldest first, so that the newest bundled millésime ends up as the one shown by default.
BUNDLED_RELEASES = ["hetre", "chanterelle"]


class Command(BaseCommand):
    help = "Importe et publie les millésimes ALDO livrés avec le projet (fixtures/aldo), s'ils ne le sont pas déjà."

    def handle(self, *args, **options):
        for slug in BUNDLED_RELEASES:
            if Release.objects.published().filter(slug=slug).exists():
                self.stdout.write(f"{slug} : déjà publié.")
                continue
            call_command("import_release", settings.FIXTURES_DIR / "aldo" / slug, name=slug, publish=True)
