"""Groupings of communes: members given as commune and EPCI codes of a geography vintage, resolved to the ALDO (2018)
communes that make them. Used for the groupings editors import (SCoT, Pays, PNR, named groupings: ``grouping_files``)
and for those visitors draw on the site (``read_members`` then ``resolve``).

A member given in another vintage is mapped through the crosswalk only when the mapping is exact: a current commune is
the union of the 2018 communes it comes from, but a 2018 commune split since then (Les Hauts Talican, 60054) is exact
only together with every commune it became. Anything else is reported, never guessed.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models.fields.json import KT

from observatory.cache import shared_value

from . import vintages
from .models import Membership, Territory, TerritoryKind
from .selectors import INTERREGIONAL_WITHOUT_TWIN, Crosswalk

MEMBER_KINDS = (TerritoryKind.COMMUNE.value, TerritoryKind.EPCI.value)
#: INSEE code of a commune (Corsica: 2A, 2B), SIREN of an EPCI.
CODE_FORMATS = {"commune": re.compile(r"(?:\d{2}|2[AB])\d{3}"), "epci": re.compile(r"\d{9}")}
EXPECTED_FORMAT = {
    "commune": "un code INSEE de 5 caractères, par exemple 59350",
    "epci": "un SIREN de 9 chiffres, par exemple 200093201",
}
INVALID_CODE = {
    "commune": ("Code de commune invalide", "Codes de commune invalides"),
    "epci": ("SIREN d'intercommunalité invalide", "SIREN d'intercommunalités invalides"),
}
PARAMETERS = {"commune": "communes", "epci": "epcis"}
MEMBER_WORDS = {"commune": ("commune", "communes"), "epci": ("intercommunalité", "intercommunalités")}
#: Members of one grouping, at most: more than every commune of the region (3 886 in ALDO's 2018 list).
MAX_MEMBERS = 4000
MAX_LISTED = 10
TRUE = ("true", "True", "1")


@dataclass(frozen=True)
class Member:
    kind: str  # "commune" or "epci"
    code: str


class InvalidMembers(Exception):
    """Members that cannot be read or found; the French message names the codes. ``status``: 400 for a malformed
    request (bad code, too many members, none), 404 for codes no territory has; ``parameter``: the parameter at fault
    ("communes" or "epcis"), when there is one."""

    def __init__(self, message: str, status: int = 400, parameter: str | None = None):
        super().__init__(message)
        self.message, self.status, self.parameter = message, status, parameter


def _listed(codes: Sequence[str]) -> str:
    shown = ", ".join(f"« {code[:20]} »" for code in codes[:MAX_LISTED])
    return shown + (f" et {len(codes) - MAX_LISTED} autres" if len(codes) > MAX_LISTED else "")


def split_codes(text: str) -> list[str]:
    """Codes separated by commas (spaces ignored, Corsican letters upper-cased), in the order given."""
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]


def read_members(communes: str, epcis: str) -> list[Member]:
    """The members of a drawn grouping from the ``communes`` and ``epcis`` parameters (codes comma-separated, any
    order). Raises ``InvalidMembers`` naming every malformed code, or when there are none or too many."""
    members = [Member("commune", code) for code in split_codes(communes)]
    members += [Member("epci", code) for code in split_codes(epcis)]
    if not members:
        raise InvalidMembers(
            "Aucun membre : donnez des codes de communes (communes=…) ou d'intercommunalités (epcis=…), "
            "séparés par des virgules."
        )
    if len(members) > MAX_MEMBERS:
        raise InvalidMembers(
            f"{len(members)} membres : un regroupement en compte au plus {MAX_MEMBERS} (toutes les communes de la "
            "région y tiennent ; pour un grand territoire, donnez plutôt ses intercommunalités)."
        )
    for kind in MEMBER_KINDS:
        malformed = [m.code for m in members if m.kind == kind and not CODE_FORMATS[kind].fullmatch(m.code)]
        if malformed:
            words = INVALID_CODE[kind][len(malformed) > 1]
            raise InvalidMembers(
                f"{words} : {_listed(malformed)} (attendu : {EXPECTED_FORMAT[kind]}).", parameter=PARAMETERS[kind]
            )
    return members


# --- resolution --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A commune or an EPCI as a grouping needs it (read without model instances: a grouping may hold the region)."""

    id: int
    kind: str
    code: str
    name: str
    geography: str
    population: int | None
    area_ha: float | None
    in_region: bool
    departement: str
    interregional: bool

    def get_absolute_url(self) -> str:
        return Territory.url_of(self.kind, self.code, self.geography)


def places(geography: str, kinds: Sequence[str] = MEMBER_KINDS) -> list[Place]:
    """Every commune and EPCI of ``geography``: one query (once per cache generation), no model instances."""
    key = f"territories:places:{geography}:{','.join(kinds)}"
    return shared_value(key, lambda: _read_places(geography, kinds))


def _read_places(geography: str, kinds: Sequence[str]) -> list[Place]:
    rows = (
        Territory.objects.filter(geography=geography, kind__in=kinds)
        .annotate(department=KT("attributes__departement"), interregional=KT("attributes__interregional"))
        .values_list("id", "kind", "code", "name", "population", "area_ha", "in_region", "department", "interregional")
    )
    return [
        # The interregional flag reads "true" on PostgreSQL, 1 on SQLite.
        Place(pk, kind, code, name, geography, population, area, in_region, department or "", str(flag) in TRUE)
        for pk, kind, code, name, population, area, in_region, department, flag in rows
    ]


@dataclass(frozen=True)
class Composition:
    """The ALDO (2018) communes a set is made of, and the facts ALDO warns about."""

    communes: tuple[Place, ...]
    """By code."""
    epcis: tuple[str, ...]
    """SIRENs of the 2018 EPCIs the communes belong to."""
    whole_epcis: tuple[str, ...]
    """SIRENs of the 2018 EPCIs all of whose communes are in the set."""
    loose: tuple[str, ...]
    """Codes of the communes outside those whole EPCIs."""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(commune.code for commune in self.communes)

    @property
    def epci_union(self) -> bool:
        """True when the communes are exactly a union of whole 2018 EPCIs (what HETRE computes)."""
        return bool(self.communes) and not self.loose

    @property
    def departements(self) -> tuple[str, ...]:
        return tuple(sorted({commune.departement for commune in self.communes if commune.departement}))

    @property
    def outside_region(self) -> tuple[Place, ...]:
        return tuple(commune for commune in self.communes if not commune.in_region)


def composition(aldo_commune_ids: Iterable[int]) -> Composition:
    """Facts about a set of 2018 communes (ids): departments, 2018 EPCIs, whether they are a union of EPCIs."""
    ids = set(aldo_commune_ids)
    communes = sorted((c for c in places(vintages.ALDO.code, ["commune"]) if c.id in ids), key=lambda c: c.code)
    members_of = shared_value("territories:aldo-epci-members", _aldo_epci_members)
    touched = {siren for siren, members in members_of.items() if members & ids}
    whole = {siren for siren in touched if members_of[siren] <= ids}
    in_whole = set().union(*(members_of[siren] for siren in whole))
    loose = tuple(commune.code for commune in communes if commune.id not in in_whole)
    return Composition(tuple(communes), tuple(sorted(touched)), tuple(sorted(whole)), loose)


def _aldo_epci_members() -> dict[str, set[int]]:
    """2018 EPCI SIREN → its 2018 commune ids."""
    members_of: dict[str, set[int]] = defaultdict(set)
    for siren, commune_id in Membership.objects.filter(
        group__kind=TerritoryKind.EPCI, group__geography=vintages.ALDO.code
    ).values_list("group__code", "commune_id"):
        members_of[siren].add(commune_id)
    return members_of


@dataclass
class ResolvedMember:
    kind: str
    code: str
    place: Place | None = None
    """The member in the vintage it was given in (None when unknown)."""
    problem: str = ""
    """Why it cannot be used: unknown code, or no exact 2018 equivalent."""
    counted_once: str = ""
    """Why (some of) its communes were counted once only: listed twice, or inside a listed EPCI."""
    aldo_ids: frozenset[int] = frozenset()

    @property
    def name(self) -> str:
        return self.place.name if self.place else ""

    @property
    def label(self) -> str:
        words = "la commune" if self.kind == "commune" else "l'intercommunalité"
        return f"{words} {self.name} ({self.code})" if self.place else f"{words} {self.code}"


@dataclass
class Resolution:
    geography: str
    members: list[ResolvedMember]
    given_communes: list[Place] = field(default_factory=list)
    """The communes of the vintage the members were given in, by name (each once)."""

    @property
    def problems(self) -> list[str]:
        return [member.problem for member in self.members if member.problem]

    @property
    def unknown(self) -> list[ResolvedMember]:
        return [member for member in self.members if member.place is None]

    @property
    def counted_once(self) -> list[str]:
        return [f"{member.label} : {member.counted_once}" for member in self.members if member.counted_once]

    @cached_property
    def composition(self) -> Composition:
        return composition(set().union(*(member.aldo_ids for member in self.members)))


def resolve(members: Sequence[Member], geography: str) -> Resolution:
    """Find the members in ``geography``, count each commune once, and map them to 2018 communes through the
    crosswalk when ``geography`` is not ALDO's. A member that cannot be found or mapped exactly gets a ``problem``."""
    known = {(place.kind, place.code): place for place in places(geography)}
    resolved = [ResolvedMember(member.kind, member.code, known.get((member.kind, member.code))) for member in members]
    vintage_label = vintages.get(geography).short_label
    epci_ids = {member.place.id for member in resolved if member.place and member.kind == "epci"}
    communes_of: dict[int, list[int]] = {pk: [] for pk in epci_ids}
    for group_id, commune_id in Membership.objects.filter(group_id__in=epci_ids).values_list("group_id", "commune_id"):
        communes_of[group_id].append(commune_id)
    for member in resolved:
        if member.place is None:
            member.problem = f"{MEMBER_WORDS[member.kind][0].capitalize()} inconnue en géographie {vintage_label} : "
            member.problem += f"{member.code}."

    # Each commune is counted once: EPCIs first, so that a commune listed with its EPCI is the one said twice.
    given: dict[int, ResolvedMember] = {}
    given_of: dict[int, set[int]] = {}
    for member in sorted((m for m in resolved if m.place), key=lambda m: m.kind != "epci"):
        ids = set(communes_of[member.place.id]) if member.kind == "epci" else {member.place.id}
        given_of[id(member)] = ids
        already = [given[pk] for pk in ids if pk in given]
        if already:
            first = already[0]
            member.counted_once = (
                "listée deux fois, comptée une fois"
                if (first.kind, first.code) == (member.kind, member.code)
                else f"déjà comprise dans {first.label}, comptée une fois"
            )
        for pk in ids:
            given.setdefault(pk, member)

    by_id = {place.id: place for place in known.values() if place.kind == "commune"}
    _map_to_aldo(resolved, given_of, set(given), geography, by_id)
    ordered = sorted((by_id[pk] for pk in given), key=lambda place: (place.name, place.code))
    return Resolution(geography, resolved, ordered)


def _map_to_aldo(
    resolved: list[ResolvedMember],
    given_of: dict[int, set[int]],
    within: set[int],
    geography: str,
    communes: dict[int, Place],
) -> None:
    """Set each member's 2018 communes (``aldo_ids``), or its ``problem`` when there is no exact mapping."""
    if geography == vintages.ALDO.code:
        for member in resolved:
            member.aldo_ids = frozenset(given_of.get(id(member), ()))
        return
    crosswalk = shared_value("territories:crosswalk", Crosswalk.read)
    twins = {member.place.id: crosswalk.twin.get(member.place.id) for member in resolved if member.place}
    twin_members: dict[int, set[int]] = {twin: set() for twin in twins.values() if twin}
    for group_id, commune_id in Membership.objects.filter(group_id__in=twin_members).values_list(
        "group_id", "commune_id"
    ):
        twin_members[group_id].add(commune_id)
    names: dict[int, tuple[str, str]] = {}

    def describe(pk: int) -> tuple[str, str]:
        if pk not in names:
            territory = communes.get(pk) or Territory.objects.only("code", "name").get(pk=pk)
            names[pk] = (territory.code, territory.name)
        return names[pk]

    for member in resolved:
        if member.place is None:
            continue
        twin = twins[member.place.id]
        if twin and twin_members.get(twin):
            # The very same perimeter in 2018: keeps the Normandy communes of interregional EPCIs.
            member.aldo_ids = frozenset(twin_members[twin])
        elif member.kind == "epci" and member.place.interregional:
            member.problem = f"{member.name} ({member.code}) : {INTERREGIONAL_WITHOUT_TWIN}"
        else:
            aldo_ids, reason = crosswalk.aldo_communes(given_of[id(member)], geography, describe, within)
            member.aldo_ids = aldo_ids
            if reason:
                label = member.label
                member.problem = f"{label[0].upper()}{label[1:]} n'a pas d'équivalent exact en 2018 : {reason}"


def composition_of(territory: Territory) -> Composition:
    """The 2018 communes a grouping's figures are computed from: the members of its ALDO-vintage version (an imported
    grouping always has one, as the PNR of the reference files do)."""
    aldo = Territory.objects.filter(kind=territory.kind, code=territory.code, geography=vintages.ALDO.code).first()
    return composition(Membership.objects.filter(group=aldo).values_list("commune_id", flat=True) if aldo else ())
