from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site `make run` shows: `manage.py load_initial_data` builds it from
    demo/fixtures/. It sits at the top of the house and may use every app; nothing imports it."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo content"
    default_auto_field = "django.db.models.BigAutoField"
