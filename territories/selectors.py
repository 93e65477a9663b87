"""Reads: search, lookups, parents/counterparts, and the ALDO computation basis of every territory."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Lower

from observatory.cache import generation_value

from . import vintages
from .models import Correspondence, Membership, Territory, TerritoryKind
from .text import normalize

MAX_QUERY_LENGTH = 100
MAX_SEARCH_TOKENS = 8
EXACT_CODE, EXACT_NAME = 0, 1
#: Larger territories first when the match quality is equal.
KIND_ORDER = ["region", "departement", "epci", "pnr", "scot", "pays", "groupement", "commune"]
#: Where a territory is looked for when no vintage is asked: the current one, then the others from the newest.
DEFAULT_LOOKUP = (vintages.CURRENT, *(vintage for vintage in reversed(vintages.VINTAGES) if not vintage.is_default))

# --- lookups ---------------------------------------------------------------------------------------------------


def get_territory(kind: str, code: str, geography: str | None = None) -> Territory | None:
    """The territory ``kind``/``code`` in ``geography``; by default the current one if it exists, else the newest.
    Its outline (``geometry``, up to megabytes for a région) is left in the database until asked for."""
    candidates = Territory.objects.filter(kind=kind, code=code).defer("geometry")
    if geography is not None:
        return candidates.filter(geography=geography).first()
    by_geography = {t.geography: t for t in candidates}
    return next((by_geography[v.code] for v in DEFAULT_LOOKUP if v.code in by_geography), None)


def territories_of_kinds(kinds) -> list[Territory]:
    return list(Territory.objects.filter(kind__in=kinds).defer("geometry").order_by("kind", "code", "geography"))


def overview_territories(geography: str = vintages.CURRENT.code) -> list[Territory]:
    """The région, its départements and its parcs naturels régionaux (entry points of the home page)."""
    found = Territory.objects.filter(
        geography=geography, kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT, TerritoryKind.PNR]
    ).defer("geometry")
    return sorted(found, key=lambda t: (_kind_rank(t.kind), t.code))


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


# What pages show of the territories around one: every territory (without its outline and search text), who belongs
# to which group, and the crosswalk between geographies, read once per generation (territory loads and grouping
# imports start a new one) instead of four queries per page.
DIRECTORY_FIELDS = ("id", "kind", "code", "geography", "name", "population", "area_ha", "in_region", "attributes")


@dataclass(frozen=True)
class Directory:
    rows: dict[int, tuple]  # id → its DIRECTORY_FIELDS
    ids: dict[tuple[str, str, str], int]  # (kind, code, geography) → id
    groups_of: dict[int, list[int]]  # commune id → the groups it belongs to
    member_regions: dict[int, set[str]]  # group id → the régions of its member communes
    predecessors: dict[int, list[tuple[int, float, float]]]  # target id → (source id, share of source, of target)
    successors: dict[int, list[tuple[int, float, float]]]  # source id → (target id, share of source, of target)

    def territory(self, pk: int) -> Territory:
        *fields, attributes = self.rows[pk]
        return Territory.from_db("default", DIRECTORY_FIELDS, [*fields, dict(attributes or {})])


def directory() -> Directory:
    return generation_value("territories:directory", _read_directory)


def _read_directory() -> Directory:
    rows = {row[0]: row for row in Territory.objects.values_list(*DIRECTORY_FIELDS)}
    groups_of: dict[int, list[int]] = defaultdict(list)
    member_regions: dict[int, set[str]] = defaultdict(set)
    # Two reads without a common snapshot: rows naming a territory written in between are left for the next
    # generation (the load that wrote it starts one).
    for group, commune in Membership.objects.values_list("group_id", "commune_id"):
        if group not in rows or commune not in rows:
            continue
        groups_of[commune].append(group)
        member_regions[group].add((rows[commune][-1] or {}).get("region"))
    predecessors: dict[int, list] = defaultdict(list)
    successors: dict[int, list] = defaultdict(list)
    for source, target, of_source, of_target in Correspondence.objects.values_list(
        "source_id", "target_id", "share_of_source", "share_of_target"
    ):
        if source not in rows or target not in rows:
            continue
        predecessors[target].append((source, of_source, of_target))
        successors[source].append((target, of_source, of_target))
    return Directory(
        rows,
        {(kind, code, geography): pk for pk, kind, code, geography, *_ in rows.values()},
        dict(groups_of),
        dict(member_regions),
        dict(predecessors),
        dict(successors),
    )


def parents(territory: Territory) -> list[Territory]:
    """Enclosing territories in the same geography: EPCI/PNR of a commune, département(s), région."""
    if territory.kind == TerritoryKind.REGION:
        return []
    places = directory()
    if territory.kind == TerritoryKind.COMMUNE:
        found = places.groups_of.get(territory.pk, [])
    else:
        attributes = territory.attributes or {}
        departements = (
            [] if territory.kind == TerritoryKind.DEPARTEMENT else list(attributes.get("departements") or [])
        )
        # régions holding at least one of the group's communes, from the communes' own région code
        regions = {attributes.get("region", "")} | places.member_regions.get(territory.pk, set())
        wanted = [(TerritoryKind.DEPARTEMENT, code) for code in departements]
        wanted += [(TerritoryKind.REGION, code) for code in regions if code]
        found = [places.ids.get((kind, code, territory.geography)) for kind, code in wanted]
    enclosing = [places.territory(pk) for pk in dict.fromkeys(found) if pk is not None]
    return sorted(enclosing, key=lambda t: (_kind_rank(t.kind), t.name))


def subdivisions(territory: Territory) -> list[Territory]:
    """Groups inside a région (départements) or touching a département (EPCIs, PNR), same geography."""
    same_geography = Territory.objects.filter(geography=territory.geography).defer("geometry")
    if territory.kind == TerritoryKind.REGION:
        found = same_geography.filter(kind=TerritoryKind.DEPARTEMENT)
    elif territory.kind == TerritoryKind.DEPARTEMENT:
        found = same_geography.filter(
            kind__in=[TerritoryKind.EPCI, TerritoryKind.PNR], memberships__commune__member_of__group=territory
        ).distinct()
    else:
        return []
    return sorted(found, key=lambda t: (_kind_rank(t.kind), t.name))


@dataclass
class Link:
    territory: Territory
    share_of_source: float | None = None  # part of the 2018 territory in the current one
    share_of_target: float | None = None  # part of the current territory that comes from the 2018 one


@dataclass
class Counterpart:
    """How ``territory`` relates to the other geography vintage (ALDO's for a territory of another vintage, the
    current one for an ALDO territory)."""

    same_code: Territory | None = None  # same kind and code in the other geography
    predecessors: list[Link] = field(default_factory=list)  # 2018 territories a current one comes from
    successors: list[Link] = field(default_factory=list)  # current territories a 2018 one became

    @property
    def same_perimeter(self) -> bool:
        """True when the territory maps one-to-one, whole, onto the same code in the other vintage."""
        links = self.predecessors or self.successors
        return (
            self.same_code is not None
            and len(links) == 1
            and links[0].territory.pk == self.same_code.pk
            and links[0].share_of_source >= 0.9999
            and links[0].share_of_target >= 0.9999
        )


def counterpart(territory: Territory) -> Counterpart:
    is_aldo = territory.geography == vintages.ALDO.code
    other = vintages.CURRENT.code if is_aldo else vintages.ALDO.code
    places = directory()
    same_code = places.ids.get((territory.kind, territory.code, other))
    result = Counterpart(same_code=places.territory(same_code) if same_code is not None else None)
    if not is_aldo:
        result.predecessors = [
            Link(places.territory(pk), of_source, of_target)
            for pk, of_source, of_target in places.predecessors.get(territory.pk, [])
        ]
        result.predecessors.sort(key=lambda link: (-link.share_of_target, link.territory.name))
    else:
        result.successors = [
            Link(places.territory(pk), of_source, of_target)
            for pk, of_source, of_target in places.successors.get(territory.pk, [])
            if places.rows[pk][3] == other
        ]
        result.successors.sort(key=lambda link: (-link.share_of_source, link.territory.name))
    return result


def members(territory: Territory):
    """Member communes of a group, by name."""
    return Territory.objects.filter(member_of__group=territory).order_by("name", "code")


# --- search ----------------------------------------------------------------------------------------------------


def search_territories(
    query: str, limit: int = 20, *, kinds: Iterable[str] | None = None, geography: str | None = None
) -> list[Territory]:
    """Territories whose name or code matches ``query`` (accent-, case- and punctuation-insensitive), of ``kinds``
    and in ``geography`` when given.

    Ranking (``match_rank``): exact code (``EXACT_CODE``), exact name (``EXACT_NAME``), the whole phrase as words of
    the name, a word of the name starting with it, code prefix, anywhere; then the larger territory kinds first. A
    2018 territory is hidden when the current geography has one with the same kind, code and name (it stays reachable
    from that page), unless a ``geography`` is asked for.
    The query is only ever used as a bound parameter, after normalisation to ``[a-z0-9 ]``.
    """
    raw = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()  # a NUL byte cannot reach PostgreSQL
    phrase = normalize(raw)
    if not phrase:
        return []
    tokens = phrase.split()[:MAX_SEARCH_TOKENS]
    phrase = " ".join(tokens)
    code = raw.replace(" ", "").upper() if len(tokens) == 1 or phrase.replace(" ", "").isdigit() else phrase
    queryset = Territory.objects.all()
    for token in tokens:
        queryset = queryset.filter(search_text__contains=token)
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    if geography is not None:
        queryset = queryset.filter(geography=geography)
    else:
        current_twin = Territory.objects.filter(
            kind=OuterRef("kind"), code=OuterRef("code"), name=OuterRef("name"), geography=vintages.CURRENT.code
        )
        queryset = queryset.filter(Q(geography=vintages.CURRENT.code) | ~Exists(current_twin))
    queryset = queryset.annotate(
        match_rank=Case(
            When(Q(code__iexact=code) | Q(code__iexact=phrase), then=Value(EXACT_CODE)),
            # search_text = "<normalised name> <normalised code>"
            When(search_text=Concat(Value(f"{phrase} "), Lower("code")), then=Value(EXACT_NAME)),
            When(Q(search_text__startswith=f"{phrase} ") | Q(search_text__contains=f" {phrase} "), then=Value(2)),
            When(Q(search_text__startswith=phrase) | Q(search_text__contains=f" {phrase}"), then=Value(3)),
            When(code__startswith=code, then=Value(4)),
            default=Value(5),
            output_field=IntegerField(),
        ),
        kind_rank=Case(
            *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)),
            default=Value(len(KIND_ORDER)),
            output_field=IntegerField(),
        ),
    )
    queryset = queryset.defer("geometry").order_by("match_rank", "kind_rank", "name", "-geography", "code")
    return list(queryset[: max(0, min(limit, 100))])


# --- ALDO computation bases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """The ALDO computation units whose figures add up to a territory, or why there are none."""

    units: tuple[str, ...]
    unavailable_reason: str | None = None
    n_communes: int = 0
    """The 2018 communes the units cover, and how many of them are outside the région."""
    n_communes_outside_region: int = 0

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None


NO_MEMBERS = (
    "Les communes membres de ce territoire ne sont pas connues (aucune liste publique trouvée) : "
    "ses chiffres ne peuvent pas être calculés."
)
INTERREGIONAL_WITHOUT_TWIN = (
    "Cette intercommunalité s'étend hors des Hauts-de-France et son périmètre a changé depuis 2018 : "
    "ses communes hors région ne figurent pas dans les données, ses chiffres ne sont pas disponibles."
)
#: Area shares at least this large make a correspondence the very same perimeter (rounding of the shares).
SAME_PERIMETER = 0.9999
NOT_EPCI_UNION = (
    "HETRE calcule par EPCI de 2018 ; ce territoire n'est pas une réunion exacte d'EPCI de 2018, "
    "ses chiffres ne sont pas disponibles pour ce millésime."
)
UNIT_KINDS = ("commune", "epci")


@dataclass(frozen=True)
class _Row:
    id: int
    kind: str
    code: str
    geography: str
    name: str
    interregional: bool
    in_region: bool


def computation_bases(unit_kind: str) -> dict[int, Basis]:
    """Basis of every territory for ALDO computed per 2018 ``commune`` (CHANTERELLE) or per 2018 ``epci`` (HETRE).

    A few queries, then everything in memory. Unit codes are INSEE codes (communes) or SIRENs (EPCIs) of 2018.
    """
    if unit_kind not in UNIT_KINDS:
        raise ValueError(f"unit_kind must be one of {UNIT_KINDS}, not {unit_kind!r}")
    rows = {
        pk: _Row(pk, kind, code, geography, name, bool((attributes or {}).get("interregional")), in_region)
        for pk, kind, code, geography, name, attributes, in_region in Territory.objects.values_list(
            "id", "kind", "code", "geography", "name", "attributes", "in_region"
        )
    }
    members_of: dict[int, set[int]] = defaultdict(set)
    for group_id, commune_id in Membership.objects.values_list("group_id", "commune_id"):
        members_of[group_id].add(commune_id)
    crosswalk = Crosswalk.read()

    def describe(pk: int) -> tuple[str, str]:
        return rows[pk].code, rows[pk].name

    def commune_basis(row: _Row) -> tuple[frozenset[int], str | None]:
        """2018 commune ids making up ``row``, or the reason they cannot be determined."""
        if row.geography == vintages.ALDO.code:
            if row.kind == TerritoryKind.COMMUNE:
                return frozenset({row.id}), None
            communes = members_of.get(row.id)
            return (frozenset(communes), None) if communes else (frozenset(), NO_MEMBERS)
        if row.id in crosswalk.twin:
            # The very same perimeter in 2018: keeps the Normandy communes of interregional EPCIs.
            twin = crosswalk.twin[row.id]
            if members_of.get(twin):
                return frozenset(members_of[twin]), None
        if row.kind == TerritoryKind.EPCI and row.interregional:
            return frozenset(), INTERREGIONAL_WITHOUT_TWIN
        current = {row.id} if row.kind == TerritoryKind.COMMUNE else members_of.get(row.id, set())
        if not current:
            return frozenset(), NO_MEMBERS
        return crosswalk.aldo_communes(current, row.geography, describe)

    epci_2018_of: dict[int, int] = {}
    for pk, row in rows.items():
        if row.kind == TerritoryKind.EPCI and row.geography == vintages.ALDO.code:
            for commune_id in members_of.get(pk, ()):
                epci_2018_of[commune_id] = pk

    def basis(units: tuple[str, ...], communes: frozenset[int]) -> Basis:
        outside = sum(1 for c in communes if not rows[c].in_region)
        return Basis(units, n_communes=len(communes), n_communes_outside_region=outside)

    bases: dict[int, Basis] = {}
    for pk, row in rows.items():
        if unit_kind == "epci" and row.kind == TerritoryKind.EPCI and row.geography == vintages.ALDO.code:
            bases[pk] = basis((row.code,), frozenset(members_of.get(pk, ())))
            continue
        communes, reason = commune_basis(row)
        if reason is not None:
            bases[pk] = Basis((), reason)
        elif unit_kind == "commune":
            bases[pk] = basis(tuple(sorted(rows[c].code for c in communes)), communes)
        else:
            epcis = epci_union(communes, epci_2018_of, members_of)
            if epcis is None:
                bases[pk] = Basis((), NOT_EPCI_UNION)
            else:
                bases[pk] = basis(tuple(sorted(rows[e].code for e in epcis)), communes)
    return bases


@dataclass
class Crosswalk:
    """Links from the ALDO vintage to the others, read at once: the commune pieces and the same-perimeter twins."""

    sources_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    """Commune of another vintage → the 2018 communes it is made of."""
    targets_of: dict[tuple[int, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    """(2018 commune, vintage) → the communes it became in that vintage."""
    twin: dict[int, int] = field(default_factory=dict)
    """Territory of another vintage (EPCI, imported grouping) → the 2018 territory with the very same perimeter."""

    @classmethod
    def read(cls) -> "Crosswalk":
        crosswalk = cls()
        for source_id, target_id, geography, kind, share_source, share_target in Correspondence.objects.values_list(
            "source_id", "target_id", "target__geography", "source__kind", "share_of_source", "share_of_target"
        ):
            if kind == TerritoryKind.COMMUNE:
                crosswalk.sources_of[target_id].add(source_id)
                crosswalk.targets_of[(source_id, geography)].add(target_id)
            elif share_source >= SAME_PERIMETER and share_target >= SAME_PERIMETER:
                crosswalk.twin[target_id] = source_id
        return crosswalk

    def aldo_communes(
        self, communes: Iterable[int], geography: str, describe: Callable[[int], tuple[str, str]], within=None
    ) -> tuple[frozenset[int], str | None]:
        """The 2018 communes that make exactly ``communes`` (ids in ``geography``), or why there are none.

        A 2018 commune split since then is exact only if every commune it became is in ``within`` (by default
        ``communes`` themselves). ``describe`` gives a commune's (code, name) for the messages."""
        communes = set(communes)
        within = communes if within is None else within
        old: set[int] = set()
        for commune_id in sorted(communes):
            if not self.sources_of.get(commune_id):
                return frozenset(), (
                    f"La commune actuelle « {describe(commune_id)[1]} » n'a pas de correspondance dans la "
                    "géographie ALDO 2018."
                )
            old |= self.sources_of[commune_id]
        for old_id in sorted(old):
            targets = self.targets_of.get((old_id, geography), set())
            if targets - within:
                code, name = describe(old_id)
                names = ", ".join(sorted(describe(pk)[1] for pk in targets))
                return frozenset(), (
                    f"La commune ALDO 2018 « {name} » ({code}) correspond à plusieurs communes actuelles "
                    f"({names}) dont certaines sont hors de ce territoire : ses chiffres ne peuvent pas être "
                    "répartis entre elles."
                )
        return frozenset(old), None


def epci_union(communes: frozenset[int], epci_of: dict[int, int], members_of: dict[int, set[int]]) -> set[int] | None:
    """The 2018 EPCIs whose union is exactly ``communes`` (2018 commune ids), None when there are none."""
    epcis = {epci_of.get(commune) for commune in communes}
    if None in epcis or any(not members_of[epci] <= communes for epci in epcis):
        return None
    return epcis
