"""`make run`: make the throw-away development signing key (once) unless a real one is configured,
and say so: documents signed with it carry the notice on their page and on the paper."""

from django.core.management.base import BaseCommand

from portal.documents import signing


class Command(BaseCommand):
    help = "Make the development signing key if no DOCUMENT_SIGNING_* key is configured."

    def handle(self, *args, **options):
        if not signing.is_development_key():
            self.stdout.write("Documents are signed with the configured DOCUMENT_SIGNING_* certificate.")
            return
        bundle = signing.dev_key_ensure()
        self.stdout.write(
            self.style.WARNING(
                f"Documents are signed with a throw-away DEVELOPMENT key ({bundle}); they say so on their "
                "page. See README, 'Signing certificate', to install the bureau's certificate."
            )
        )
