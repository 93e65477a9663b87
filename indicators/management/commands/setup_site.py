import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from indicators.numbers import format_number

# What `make setup` and the deployment's migrate job run, in this order; each step is idempotent.
STEPS = ["migrate", "load_territories", "load_bundled_releases", "load_bundled_series"]


class Command(BaseCommand):
    help = (
        "Met en place ou à jour les données du site : schéma de la base, territoires, millésimes ALDO et séries "
        "livrés avec le projet. Un seul processus pour les quatre étapes (chacune idempotente)."
    )

    def handle(self, *args, **options):
        for step in STEPS:
            started = time.perf_counter()
            options_of_step = {"interactive": False} if step == "migrate" else {}
            call_command(
                step, verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr, **options_of_step
            )
            if options["verbosity"]:
                seconds = format_number(time.perf_counter() - started, 1)
                self.stdout.write(f"Étape {step} terminée en {seconds} s.")
