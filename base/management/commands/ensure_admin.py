import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create the site administrator if there is none: from DJANGO_SUPERUSER_USERNAME, "
        "DJANGO_SUPERUSER_PASSWORD and DJANGO_SUPERUSER_EMAIL when set, otherwise 'admin' "
        "with a generated password printed once. Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        # Command inputs, read the way Django's own `createsuperuser --noinput` reads them.
        env = os.environ
        username = env.get("DJANGO_SUPERUSER_USERNAME", "").strip()
        password = env.get("DJANGO_SUPERUSER_PASSWORD", "")
        email = env.get("DJANGO_SUPERUSER_EMAIL", "").strip()

        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                if not password:
                    password = secrets.token_urlsafe(12)
                    self._print_password(username, password)
                User.objects.create_superuser(username=username, email=email, password=password)
                self.stdout.write(f"Created administrator '{username}'.")
            else:
                self.stdout.write(f"Administrator '{username}' already exists; left as it is.")
            return

        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"Administrator '{existing.get_username()}' already exists (its password was "
                "printed when it was created; `manage.py changepassword` resets it)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username="admin", email=email or "admin@localhost", password=password
        )
        self._print_password("admin", password)

    def _print_password(self, username, password):
        self.stdout.write(
            self.style.WARNING(
                f"Created administrator '{username}' with password: {password}\n"
                "This password is shown only once: note it now."
            )
        )
