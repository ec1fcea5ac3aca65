"""API tokens: a bearer secret that acts as its user, stored only as a hash.

A token reads `niaga_<prefix>_<secret>`. The prefix is public (shown in lists,
used to find the row); the secret is 32 random bytes and never stored: only
the SHA-256 of the whole token is kept. A fast hash is enough because the
secret is random and long, unlike a password.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"niaga_{self.prefix}_… ({self.name})" if self.name else f"niaga_{self.prefix}_…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
