import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.models import ImportJob
from indicators.services import publish_release, start_import


class Command(BaseCommand):
    help = "Importe un bundle ALDO (dossier ou .zip) : validation, calcul de tous les territoires, mise en attente."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Dossier ou archive .zip du bundle")
        parser.add_argument("--name", required=True, help="Nom du millésime (ex. chanterelle)")
        parser.add_argument("--publish", action="store_true", help="Publier le millésime s'il est valide")
        parser.add_argument("--timeout", type=int, default=1800, help="Attente maximale du calcul (s)")

    def handle(self, *args, source: Path, name: str, publish: bool, timeout: int, **options):
        if not source.exists():
            raise CommandError(f"{source} : fichier ou dossier introuvable.")
        job = start_import(source, name)
        self.stdout.write(f"Import n° {job.pk} de {source} (SHA-256 {job.checksum[:12]}…)")
        deadline = time.monotonic() + timeout
        while job.state not in (ImportJob.State.READY, ImportJob.State.FAILED):
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Import n° {job.pk} toujours en cours après {timeout} s ({job.get_state_display()})."
                )
            time.sleep(0.1)
            job.refresh_from_db()
        if job.state == ImportJob.State.FAILED:
            for problem in job.report:
                location = ", ".join(
                    part
                    for part in (
                        problem.get("file"),
                        f"ligne {problem['row']}" if problem.get("row") else None,
                        f"colonne {problem['column']}" if problem.get("column") else None,
                    )
                    if part
                )
                self.stderr.write(f"- {location} : {problem['message']}")
            raise CommandError(job.message)
        self.stdout.write(self.style.SUCCESS(f"{job.release} prêt : {job.message}"))
        if publish:
            publish_release(job.release)
            self.stdout.write(self.style.SUCCESS(f"{job.release} publié."))
