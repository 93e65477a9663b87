"""Places and their memberships.

A territory other than a commune is the set of its member communes *in a given geography vintage*:
ALDO works on the 2018 communes and the EPCIs of 1 January 2018; users live in today's communes (2026)
and EPCIs (2025). The vintages (``territories.vintages``, declared in ``fixtures/territories/vintages.toml``)
are stored side by side, linked by the crosswalk.
"""

from django.db import models
from django.urls import reverse

from . import vintages


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "Intercommunalité (EPCI)"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    PNR = "pnr", "Parc naturel régional"
    SCOT = "scot", "SCoT"
    PAYS = "pays", "Pays / PETR"
    GROUPEMENT = "groupement", "Regroupement personnalisé"


class Territory(models.Model):
    kind = models.CharField(max_length=16, choices=TerritoryKind.choices)
    # INSEE code, SIREN or INPN code, always a string (leading zeros matter: "02198").
    code = models.CharField(max_length=16)
    # Code of its geography vintage (``vintages.CODES``); not a choices field, so a new vintage needs no migration.
    geography = models.CharField(max_length=4)
    name = models.CharField(max_length=200)
    # Lower-case, accent-free name and code used by the search box.
    search_text = models.CharField(max_length=300, db_index=True, editable=False)
    population = models.PositiveIntegerField(null=True, blank=True)
    area_ha = models.FloatField(null=True, blank=True)
    in_region = models.BooleanField(
        default=True, help_text="Faux pour les communes hors Hauts-de-France des EPCI interrégionaux."
    )
    # Kind-specific facts from the source files (EPCI nature, interregional flag, département of the seat…).
    attributes = models.JSONField(default=dict, blank=True)
    # Simplified GeoJSON geometry (WGS84, clockwise exterior rings as Plotly needs).
    geometry = models.JSONField(null=True, blank=True)
    members = models.ManyToManyField(
        "self", through="Membership", symmetrical=False, related_name="groups", blank=True
    )

    class Meta:
        verbose_name = "territoire"
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "geography"], name="unique_territory_per_geography")
        ]
        indexes = [models.Index(fields=["kind", "code"])]
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        """Page URL; outside the current vintage it names its geography (the bare URL shows the current one)."""
        url = reverse("pages:territory", kwargs={"kind": self.kind, "code": self.code})
        return f"{url}?geographie={self.geography}" if self.geography != vintages.CURRENT.code else url

    @property
    def vintage(self) -> vintages.Vintage | None:
        """Its geography vintage (None only for a code no longer declared)."""
        return vintages.get(self.geography)


class Membership(models.Model):
    """A commune belongs to a grouping (EPCI, département, région, PNR…) in the grouping's geography."""

    group = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="memberships")
    commune = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="member_of")
    status = models.CharField(max_length=32, blank=True, help_text="Statut d'adhésion (PNR : classée…).")

    class Meta:
        verbose_name = "appartenance"
        constraints = [models.UniqueConstraint(fields=["group", "commune"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.commune} ∈ {self.group}"


class Correspondence(models.Model):
    """Crosswalk between an ALDO (2018) territory and one of the same kind in another vintage (the current one).

    Shares are area shares: ``share_of_source`` is the part of the 2018 territory that lies in the
    current one, ``share_of_target`` the part of the current territory that comes from the 2018 one.
    """

    source = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="successors")
    target = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="predecessors")
    share_of_source = models.FloatField()
    share_of_target = models.FloatField()

    class Meta:
        verbose_name = "correspondance 2018 → actuelle"
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_correspondence")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
