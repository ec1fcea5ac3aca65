from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "niaga.registry"
    verbose_name = _("OPOP registry")

    def ready(self) -> None:
        from niaga.core.personal_data import register_encrypted_column

        # `niaga rotate_personal_keys` re-encrypts and re-hashes these columns.
        register_encrypted_column("registry.Person", "nik_encrypted", "nik_hash", "nik")
