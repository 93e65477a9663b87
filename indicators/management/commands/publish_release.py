from django.core.management.base import BaseCommand, CommandError

from indicators.models import Release
from indicators.services import ReleaseActionError, publish_release


class Command(BaseCommand):
    help = "Publie la dernière révision prête d'un millésime : les pages l'affichent aussitôt."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Nom du millésime (ex. chanterelle)")

    def handle(self, *args, slug: str, **options):
        release = (
            Release.objects.filter(slug=slug, status=Release.Status.STAGED).order_by("-revision").first()
            or Release.objects.filter(slug=slug).order_by("-revision").first()
        )
        if release is None:
            raise CommandError(f"Aucun millésime « {slug} » n'a été importé.")
        try:
            publish_release(release)
        except ReleaseActionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{release} publié ; c'est désormais le millésime affiché."))
