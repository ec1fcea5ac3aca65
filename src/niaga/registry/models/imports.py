"""Bulk imports of registry rows: a job per uploaded file, its problems, its seen keys.

A job walks: mapping (file stored, header read) → validating (rows checked in
chunks, one chunk per progress poll) → ready (no problem) or invalid → committed
(every row written in one transaction) or discarded. The state lives here, not
in a process's memory, because no background worker exists: the browser's
polls drive the work and any app server may answer the next one.

The uploaded file is kept under a private storage path (`stored_name`) only
while the job needs it; it is deleted when the job is committed or discarded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province


class ImportResource(models.TextChoices):
    PESANTREN = "pesantren", _("Pesantren")
    COOPERATIVES = "cooperatives", _("Cooperatives")
    PEOPLE = "people", _("People")
    PRODUCTS = "products", _("Products")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Columns to map")
    VALIDATING = "validating", _("Checking")
    READY = "ready", _("Ready to save")
    INVALID = "invalid", _("Has problems")
    COMMITTING = "committing", _("Saving")
    COMMITTED = "committed", _("Saved")
    DISCARDED = "discarded", _("Discarded")


class ImportJob(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    resource = models.CharField(
        _("what is imported"), max_length=12, choices=ImportResource.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    original_name = models.CharField(_("file name"), max_length=255)
    source_format = models.CharField(_("file type"), max_length=4)  # "csv" or "xlsx"
    size_bytes = models.BigIntegerField(_("size in bytes"), default=0)
    # The stored UTF-8 CSV the job reads (XLSX and Windows-1252 files are
    # converted on upload); "" once deleted.
    stored_name = models.CharField(max_length=300, blank=True)
    delimiter = models.CharField(max_length=1, default=",")
    notice = models.TextField(_("notice"), blank=True)
    header = models.JSONField(default=list)
    # File column index (as text) → resource column key; unmapped columns are absent.
    mapping = models.JSONField(default=dict)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)

    # Where the rows start (after the header), to check the file again from the top.
    data_offset = models.BigIntegerField(default=0)
    header_line = models.PositiveIntegerField(default=1)
    # Progress of the validation: byte offset and line of the next row to read.
    next_offset = models.BigIntegerField(default=0)
    next_line = models.PositiveIntegerField(default=2)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_rows = models.PositiveIntegerField(_("rows with problems"), default=0)
    issue_count = models.PositiveIntegerField(_("problems"), default=0)
    preview = models.JSONField(default=list)  # first valid rows, masked, for display

    commit_token = models.CharField(max_length=32, blank=True)
    committed_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_rows = models.PositiveIntegerField(_("rows saved"), default=0)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status"], name="import_job_province_status")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100
        return min(100, self.checked_rows * 100 // self.total_rows)

    @property
    def is_open(self) -> bool:
        """Still changeable: not saved, not discarded."""
        return self.status not in (ImportStatus.COMMITTED, ImportStatus.DISCARDED)


class ImportIssue(models.Model):
    """One problem of an import: a cell (line and column), a row, or the whole file.

    `value` is the offending cell as it may be shown: cut short, and masked
    for personal columns (a NIK shows as 3578********0001). The clear value is
    never stored here.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField(_("line"))  # 1 is the header line
    column = models.CharField(_("column"), max_length=100, blank=True)
    code = models.CharField(_("rule"), max_length=40)
    message = models.TextField(_("problem"))
    value = models.CharField(_("value"), max_length=120, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["job", "line", "id"]
        indexes = [models.Index(fields=["job", "line"], name="import_issue_job_line")]

    def __str__(self) -> str:
        return f"{self.line} {self.column}: {self.code}"


class ImportKey(models.Model):
    """A unique key (NSPP, NIB, NIK hash, name and regency…) seen in a job's file, by line.

    Kept while the job is checked in chunks, so a duplicate is found however
    far apart the two rows are; deleted when the check ends. `digest` is the
    first 8 bytes of a SHA-256 of the key (for a NIK: of its keyed hash), so
    no identifier is stored in clear.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    digest = models.BigIntegerField()
    line = models.PositiveIntegerField()

    # Internal to a job and reached only through it (by `job_id`), so it has
    # no province of its own: the job's scoped manager guards the way in.

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "digest"], name="import_key_once_per_job")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line}"
