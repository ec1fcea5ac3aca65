from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealizationConfig(AppConfig):
    name = "niaga.realization"
    verbose_name = _("Realization of commitments")
