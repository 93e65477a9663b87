"""Releases (millésimes) of ALDO data, their import jobs, the stored indicator figures, and indicator series."""

from django.conf import settings
from django.db import models

from territories import vintages

from .aldo import RULE_SET_CHOICES, release_note, rules_for
from .aldo.validation import MANIFEST_TEXT_LENGTHS
from .numbers import plural

UNIT_NOUNS = {"commune": ("commune", "communes"), "epci": ("EPCI", "EPCI")}


def units_text(unit_kind: str, n_units: int) -> str:
    """ "39 communes de 2018", "1 EPCI de 2018": the ALDO computation units figures add up; nothing without units."""
    nouns = UNIT_NOUNS.get(unit_kind)
    if not n_units:
        return ""
    if nouns is None:
        return unit_kind
    year = vintages.ALDO.epci_year if unit_kind == "epci" else vintages.ALDO.commune_year
    return f"{plural(n_units, *nouns)} de {year}"


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
    # Validation refuses a manifest whose texts would not fit these columns.
    aldo_commit = models.CharField(max_length=MANIFEST_TEXT_LENGTHS["aldo_commit"], blank=True)
    scope = models.CharField(max_length=MANIFEST_TEXT_LENGTHS["scope"], blank=True)
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
    # When the broker accepted the job; empty while it was unreachable (the job waits and recovery sends it later).
    queued_at = models.DateTimeField(null=True, blank=True)
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
    # Uploaded bundles of rejected imports are deleted after UPLOAD_RETENTION_DAYS (purge_rejected_uploads).
    source_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import de millésime"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.release_slug} #{self.pk} ({self.get_state_display()})"

    @property
    def waits_for_broker(self) -> bool:
        """Received while the broker was unreachable: not sent to a worker yet."""
        return self.state == self.State.RECEIVED and self.queued_at is None

    @property
    def status_label(self) -> str:
        """Where the import stands for an editor: its state, or once ready what became of its release."""
        if self.state == self.State.READY and self.release_id and self.release.status != Release.Status.STAGED:
            return f"Terminé : millésime {self.release.get_status_display().lower()}"
        return self.get_state_display()


RUNNING_STATES = (ImportJob.State.RECEIVED, ImportJob.State.VALIDATING, ImportJob.State.COMPUTING)


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
    # Data-quality facts computed at import (indicators.quality: coverage, inputs read and rebuilt, communes) and the
    # level they give; the level is stored so that maps, rankings and peers can leave incomplete territories out.
    facts = models.JSONField(default=dict, blank=True)
    quality_level = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "territory"], name="unique_result")]

    def __str__(self) -> str:
        return f"{self.territory} – {self.release}: {'disponible' if self.available else 'non disponible'}"

    @property
    def computed_from_text(self) -> str:
        return units_text(self.computed_from, self.n_units)


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
    measure = models.CharField(max_length=32)
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


class LandUseFigure(models.Model):
    """One figure per release × territory × measure × land use, as reviews and comparisons read them: the land use's
    undetailed row when it has one, else the sum of its details (reservoirs, components). Hedges stored in their own
    unit keep it in their land-use name ("haies (km)"), so that km are never compared with ha.

    Written with the ``IndicatorValue`` rows it sums (``storage.write_values``), in the same transaction: a review of
    every territory then reads ~100 000 rows instead of grouping ~200 000.
    """

    # Written and deleted with IndicatorValue rows, like them without database-level foreign keys.
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="land_use_figures", db_constraint=False, db_index=False
    )
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="land_use_figures",
        db_constraint=False,
        db_index=False,
    )
    measure = models.CharField(max_length=32)
    land_use = models.CharField(max_length=136)  # a land use, or a hedge land use and its unit: "haies (km)"
    value = models.FloatField()
    rebuilt = models.BooleanField()  # a rebuilt row counted in the figure

    class Meta:
        # Reads name a release and measures, then every territory (reviews) or one (comparisons).
        indexes = [models.Index(fields=["release", "measure", "territory"])]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.measure} {self.land_use} = {self.value}"


class SeriesVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=SeriesVersion.Status.PUBLISHED)


class SeriesVersion(models.Model):
    """One import of an indicator series (its metadata and values): staged, reviewed, then published.

    A corrected re-import of a series is a new revision; at most one revision of a series is published, and publishing
    one supersedes the other. The metadata is ``indicators.series.model.SeriesMetadata`` as a dict.
    """

    Status = Release.Status

    slug = models.SlugField(max_length=60)
    revision = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    metadata = models.JSONField()
    status = models.CharField(max_length=16, choices=Release.Status.choices, default=Release.Status.STAGED)
    checksum = models.CharField(max_length=64, help_text="SHA-256 des deux fichiers importés.")
    files = models.CharField(max_length=500, blank=True, help_text="Noms des fichiers importés.")
    row_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = SeriesVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "série d'indicateur"
        ordering = ["slug", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "revision"], name="unique_series_revision"),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(status="published"), name="one_published_revision_per_series"
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.revision == 1 else f"{self.name} (révision {self.revision})"


class SeriesValue(models.Model):
    """One value of a series: a place (a territory's kind and code, or a reference zone), a period, its dimension
    values (in the order the metadata declares them) and the number, as the editor's file gives it."""

    version = models.ForeignKey(SeriesVersion, on_delete=models.CASCADE, related_name="values")
    zone_kind = models.CharField(max_length=24)
    zone_code = models.CharField(max_length=16)
    period = models.CharField(max_length=9)
    dimensions = models.JSONField(default=list, blank=True)
    value = models.FloatField()
    line = models.PositiveIntegerField(help_text="Ligne du fichier importé.")

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["version", "zone_kind", "zone_code"])]

    def __str__(self) -> str:
        return f"{self.zone_kind} {self.zone_code} {self.period} {self.dimensions} = {self.value}"


class ActionLog(models.Model):
    """Audit log of editor actions (import, publish, discard, unpublish…) on releases and indicator series."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=32)
    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.SET_NULL)
    series = models.ForeignKey(SeriesVersion, null=True, blank=True, on_delete=models.SET_NULL)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL)
    checksum = models.CharField(max_length=64, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.result}"


class SiteGeneration(models.Model):
    """What the public pages show, as a number: bumped in the transaction of every publication, unpublication,
    change of the default release or of the territories. Cached pages are keyed by it (``observatory.cache``),
    so the marker of the published release lives in the database, never only in the cache.

    One row (``SINGLETON``); a missing row reads as generation 1.
    """

    SINGLETON = 1

    value = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = "génération du site"

    def __str__(self) -> str:
        return f"génération {self.value}"


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
    # The groupings as territories.grouping_files.GroupingDraft.as_dict() gives them.
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
