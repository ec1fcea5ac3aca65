from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "niaga.programs"
    verbose_name = _("OPOP programs")

    def ready(self) -> None:
        from niaga.programs import rules  # noqa: F401 - registers the permissions
