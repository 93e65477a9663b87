"""Places and their memberships.

A territory other than a commune is the set of its member communes *in a given geography vintage*:
ALDO works on the 2018 communes and the EPCIs of 1 January 2018; users live in today's communes (2026)
and EPCIs (2025). The vintages (``territories.vintages``, declared in ``fixtures/territories/vintages.toml``)
are stored side by side, linked by the crosswalk.
"""

import functools

from django.db import models
from django.urls import get_script_prefix, reverse

from . import vintages


@functools.lru_cache(maxsize=65536)
def _territory_path(script_prefix: str, kind: str, code: str) -> str:
    """A territory page's path, reversed once per process (a page links to some thirty territories)."""
    return reverse("pages:territory", kwargs={"kind": kind, "code": code})


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
        return self.url_of(self.kind, self.code, self.geography)

    @staticmethod
    def url_of(kind: str, code: str, geography: str) -> str:
        """Page URL; outside the current vintage it names its geography (the bare URL shows the current one)."""
        url = _territory_path(get_script_prefix(), kind, code)
        return f"{url}?geographie={geography}" if geography != vintages.CURRENT.code else url

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


GROUPING_KINDS = (TerritoryKind.SCOT, TerritoryKind.PAYS, TerritoryKind.PNR, TerritoryKind.GROUPEMENT)


class Grouping(models.Model):
    """A grouping of communes imported by the editors (SCoT, Pays, PNR, named grouping), as they gave it.

    It is written as territories of its kind and code (``services.publish_grouping``): one in the ALDO vintage whose
    members are its 2018 communes (mapped through the crosswalk), and one in the vintage its members were given in
    (members as given, linked to the ALDO one by a same-perimeter correspondence). While it is active,
    ``load_territories`` leaves those territories, their members and correspondences to the editors.
    """

    kind = models.CharField(max_length=16, choices=[(kind.value, kind.label) for kind in GROUPING_KINDS])
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    # Vintage of the member codes as given (``vintages.CODES``).
    geography = models.CharField(max_length=4)
    # The members as given, in file order: [["commune", "59350"], ["epci", "200093201"], …].
    members = models.JSONField(default=list)
    # Territories the reference files had made before the grouping took them over (a PNR without a commune list):
    # geography → their name and attributes, put back when the grouping is retired.
    replaced = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "regroupement importé"
        verbose_name_plural = "regroupements importés"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_grouping")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()} {self.code})"
