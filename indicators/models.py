"""Releases (millésimes) of ALDO data, their import jobs, and the stored indicator figures."""

from django.conf import settings
from django.db import models

from .aldo import RULE_SET_CHOICES, release_note, rules_for


class Provenance(models.TextChoices):
    ORIGINAL = "original", "Données ALDO d'origine"
    REBUILT = "rebuilt", "Données reconstituées"


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Release.Status.PUBLISHED)

    def current(self):
        return self.filter(is_current=True).first()


class Release(models.Model):
    """A millésime of ALDO data (HETRE, CHANTERELLE…), computed for every territory."""

    class Status(models.TextChoices):
        STAGED = "staged", "Prêt, en attente de publication"
        PUBLISHED = "published", "Publié"
        SUPERSEDED = "superseded", "Remplacé par une révision plus récente"
        WITHDRAWN = "withdrawn", "Dépublié"
        DISCARDED = "discarded", "Écarté"

    # The millésime's name in URLs (?millesime=chanterelle); a corrected re-import gets a new revision.
    slug = models.SlugField(max_length=40)
    revision = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=80)
    # The ALDO method (indicators.aldo.RULE_SETS) the release was computed with.
    rule_set = models.CharField(max_length=16, choices=RULE_SET_CHOICES)
    aldo_commit = models.CharField(max_length=40, blank=True)
    scope = models.CharField(max_length=40, blank=True)
    manifest = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.STAGED)
    # At most one current release: the one pages show by default.
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = "millésime"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "revision"], name="unique_release_revision"),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(status="published"), name="one_published_revision_per_slug"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_release"
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.revision == 1 else f"{self.name} (révision {self.revision})"

    @property
    def method_label(self) -> str:
        """The method in words: "calcul par commune"."""
        return rules_for(self.rule_set).label

    @property
    def method_note(self) -> str:
        """What the method computes and how, then what the release's manifest adds (ALDO version, a note)."""
        return release_note({**(self.manifest or {}), "aldo_release": self.rule_set})


class ImportJob(models.Model):
    """One import of a bundle: the audit record of who imported what, and how it went."""

    class State(models.TextChoices):
        RECEIVED = "received", "Reçu"
        VALIDATING = "validating", "Validation en cours"
        COMPUTING = "computing", "Calcul en cours"
        READY = "ready", "Prêt à publier"
        FAILED = "failed", "Échec"

    release_slug = models.SlugField(max_length=40)
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    source_path = models.CharField(max_length=500, help_text="Dossier ou .zip du bundle (jamais servi au public).")
    original_filename = models.CharField(max_length=255, blank=True)
    checksum = models.CharField(max_length=64, help_text="SHA-256 du fichier importé.")
    size_bytes = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Last sign of life of the job: a job that stops moving is retried or failed by recover_stalled_imports.
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    # Validation report: a list of {"file", "row", "column", "message"} in French.
    report = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "import de millésime"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.release_slug} #{self.pk} ({self.get_state_display()})"


class TerritoryResult(models.Model):
    """Whether a release could be computed for a territory, from what, and why not."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="territory_results")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="results")
    available = models.BooleanField()
    unavailable_reason = models.TextField(blank=True)
    # e.g. "2018 communes" (CHANTERELLE) or "2018 EPCIs" (HETRE), and how many units were summed.
    computed_from = models.CharField(max_length=40, blank=True)
    n_units = models.PositiveIntegerField(default=0)
    has_rebuilt_inputs = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "territory"], name="unique_result")]

    def __str__(self) -> str:
        return f"{self.territory} – {self.release}: {'disponible' if self.available else 'non disponible'}"


class IndicatorValue(models.Model):
    """One tidy figure: release × territory × measure × land use × detail.

    ``land_use`` is an ALDO level-2 id, or "total" for the territory total; ``detail`` is the reservoir
    (stocks) or the flux component (fluxes), "" when the row is not broken down. Fluxes use the
    observatory sign: net sequestration negative, net emission positive. Zero figures are not stored:
    a missing row reads as 0.
    """

    # No database-level foreign keys or single-column indexes here: checking ~500 000 references at COPY time
    # doubled the import. The import service writes these rows in the transaction that creates their release,
    # from territory ids it has just read; deleting a release or territory still cascades through the ORM.
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="values", db_constraint=False, db_index=False
    )
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="values", db_constraint=False, db_index=False
    )
    # A measure of indicators.measures.MEASURES (no database choices: a new measure needs no migration).
    measure = models.CharField(max_length=16)
    land_use = models.CharField(max_length=64)
    detail = models.CharField(max_length=64, blank=True)
    value = models.FloatField()
    provenance = models.CharField(max_length=8, choices=Provenance.choices)

    class Meta:
        # Rows are written in bulk by the import service, which guarantees their uniqueness; a single
        # index (every read names a release and territories) keeps the write of ~500 000 rows fast.
        indexes = [models.Index(fields=["release", "territory"])]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.measure} {self.land_use} {self.detail} = {self.value}"


class ActionLog(models.Model):
    """Audit log of editor actions (import, publish, discard, unpublish…)."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=32)
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.SET_NULL)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL)
    checksum = models.CharField(max_length=64, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.result}"


class GroupingImport(models.Model):
    """One file of groupings (SCoT, Pays, PNR…) given by an editor or to ``import_groupings``: its validation report,
    the groupings it holds as the review shows them, and whether it was published and its figures computed."""

    class State(models.TextChoices):
        INVALID = "invalid", "Refusé : voir le rapport de validation"
        READY = "ready", "Prêt à publier"
        PUBLISHED = "published", "Publié"
        DISCARDED = "discarded", "Écarté"

    original_filename = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, help_text="SHA-256 du fichier importé.")
    size_bytes = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=State.choices)
    # Validation report: a list of {"file", "row", "column", "message"} in French, as for releases.
    report = models.JSONField(default=list, blank=True)
    # The groupings as territories.groupings.GroupingDraft.as_dict() gives them.
    groupings = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the job computing their figures for every release finished (None while it runs or before publication).
    computed_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = "import de regroupements"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Regroupements n° {self.pk} ({self.original_filename})"
