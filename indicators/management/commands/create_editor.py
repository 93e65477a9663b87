import sys
from getpass import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators.editor.permissions import add_editor


class Command(BaseCommand):
    help = "Crée (ou complète) un compte éditeur : il pourra importer, publier et retirer des millésimes."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Mot de passe (sinon il est demandé ; un compte existant garde le sien si l'option est absente)",
        )

    @transaction.atomic
    def handle(self, *args, username: str, email: str, password: str | None, **options):
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
        if created or password:
            password = password or self._ask_password()
            try:
                validate_password(password, user)
            except ValidationError as invalid:  # the transaction is rolled back: no half-made account
                raise CommandError(" ".join(invalid.messages)) from invalid
            user.set_password(password)
            user.save(update_fields=["password"])
        add_editor(user)
        done = "créé" if created else "ajouté au groupe des éditeurs"
        self.stdout.write(self.style.SUCCESS(f"Compte éditeur « {username} » {done}."))

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():  # a script or CI: getpass would wait or read garbage
            raise CommandError(
                "Aucun terminal pour saisir le mot de passe : indiquez-le avec --password (aucun compte n'a été créé)."
            )
        password = getpass("Mot de passe : ")
        if password != getpass("Mot de passe (confirmation) : "):
            raise CommandError("Les deux mots de passe diffèrent.")
        return password
