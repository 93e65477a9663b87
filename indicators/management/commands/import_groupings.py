from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.grouping_services import GroupingActionError, check_groupings, discard_groupings, publish_groupings


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV de regroupements (SCoT, Pays, PNR, regroupements nommés ; une ligne par membre) : "
        "vérification, puis publication et calcul de leurs chiffres pour chaque millésime."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "csv", type=Path, help="Fichier CSV : kind, code, name, member_kind, member_code, geography"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifier et montrer ce qui changerait, sans rien publier"
        )

    def handle(self, *args, csv: Path, dry_run: bool, **options):
        if not csv.is_file():
            raise CommandError(f"{csv} : fichier introuvable.")
        record = check_groupings(csv.read_bytes(), csv.name)
        if record.report:
            for problem in record.report:
                location = ", ".join(
                    part
                    for part in (
                        problem["file"],
                        f"ligne {problem['row']}" if problem.get("row") else None,
                        f"colonne {problem['column']}" if problem.get("column") else None,
                    )
                    if part
                )
                self.stderr.write(f"- {location} : {problem['message']}")
            raise CommandError(f"{csv.name} refusé : {len(record.report)} problème(s), rien n'a été publié.")
        for grouping in record.groupings:
            self.stdout.write(
                f"{grouping['name']} ({grouping['kind']} {grouping['code']}) : {len(grouping['members'])} membre(s), "
                f"{len(grouping['communes_2018'])} commune(s) de 2018"
            )
            for warning in grouping["warnings"]:
                self.stdout.write(f"  ! {warning}")
        if dry_run:
            discard_groupings(record)
            self.stdout.write("Vérification seulement (--dry-run) : rien n'a été publié.")
            return
        try:
            record = publish_groupings(record)
        except GroupingActionError as refused:
            raise CommandError(str(refused)) from refused
        record.refresh_from_db()
        state = record.message if record.computed_at else "chiffres en cours de calcul par le serveur de calcul."
        self.stdout.write(self.style.SUCCESS(f"{len(record.groupings)} regroupement(s) publié(s) : {state}"))
