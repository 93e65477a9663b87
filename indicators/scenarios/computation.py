"""A scenario computed: the release's bundle read once per process, the territory's units, one engine call, the
trajectory to 2050."""

import functools
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, Max

from observatory.cache import generation
from territories.models import Territory
from territories.selectors import computation_bases

from .. import selectors
from ..aldo import Bundle, InvalidBundle, compute, load_bundle
from ..figures import Figures
from ..measures import FLUX
from ..models import ImportJob, Release
from ..services import source_checksum
from .levers import LAST_YEAR, REFERENCE_YEAR, Lever, engine_options, levers_for


class ScenarioUnavailable(Exception):
    """The scenario cannot be computed for this territory and release; the message is French, for the reader."""


class BundleUnavailable(ScenarioUnavailable):
    """The release's bundle cannot be read as it was imported: no scenario for any territory of the release."""


@functools.lru_cache(maxsize=2)
def release_bundle(release: Release) -> Bundle:
    """The validated bundle the release was imported from, read once per process (the last two releases asked for
    stay in memory; `release_bundle.cache_clear()` forgets them). Raises BundleUnavailable when it cannot be read as
    it was imported."""
    job = ImportJob.objects.filter(release=release, state=ImportJob.State.READY).order_by("-finished_at").first()
    unavailable = BundleUnavailable(
        "Le fichier de données de ce millésime n'est plus disponible sur le serveur : le simulateur ne peut pas "
        "recalculer le territoire. Les chiffres publiés restent consultables sur la page du territoire."
    )
    if job is None or not Path(job.source_path).exists():
        raise unavailable
    try:
        if source_checksum(Path(job.source_path)) != job.checksum:
            raise BundleUnavailable(
                "Le fichier de données de ce millésime a changé depuis son import : le simulateur ne peut pas "
                "garantir les mêmes chiffres que ceux publiés. Les chiffres publiés restent consultables sur la page "
                "du territoire."
            )
        return load_bundle(Path(job.source_path))
    except (OSError, InvalidBundle) as error:
        raise unavailable from error


@functools.lru_cache(maxsize=2)
def _computation_bases(unit_kind: str, version: tuple) -> dict:
    return computation_bases(unit_kind)


def territory_units(bundle: Bundle, territory: Territory) -> tuple[str, ...]:
    """The computation units of a territory. Every territory's are worked out at once (0.2 s) and kept until the
    territories change: reloading them bumps the cache generation, and gives new ids."""
    version = (generation(), *Territory.objects.aggregate(Max("pk"), Count("pk")).values())
    basis = _computation_bases(bundle.unit_kind, version).get(territory.pk)
    if basis is None or not basis.available:
        raise ScenarioUnavailable(basis.unavailable_reason if basis else "Territoire inconnu du calcul.")
    return basis.units


# --- the scenario ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What a scenario of one territory and release starts from: the bundle, the published figures, the levers."""

    release: Release
    territory: Territory
    bundle: Bundle
    reference: Figures
    levers: tuple[Lever, ...]

    @property
    def lever(self) -> dict[str, Lever]:
        return {lever.name: lever for lever in self.levers}


def setting_for(release: Release, territory: Territory) -> Setting:
    """Raises ScenarioUnavailable when the territory has no figures for the release, or its bundle is not readable."""
    result = selectors.territory_result(release, territory)
    if result is None or not result.available:
        raise ScenarioUnavailable(
            result.unavailable_reason if result else "Ce territoire n'a pas été calculé pour ce millésime."
        )
    bundle = release_bundle(release)
    reference = selectors.figures_of(release, [territory.pk])[territory.pk]
    return Setting(release, territory, bundle, reference, levers_for(bundle, reference))


@dataclass(frozen=True)
class Scenario:
    setting: Setting
    values: dict
    """Lever name -> value."""
    figures: Figures
    """The scenario's figures, in the shape of the stored ones (zero figures left out)."""
    trajectory: list[dict] = field(default_factory=list)

    @property
    def reference(self) -> Figures:
        return self.setting.reference

    @property
    def horizon(self) -> int:
        return self.values["horizon"]


def run_scenario(setting: Setting, values: dict) -> Scenario:
    """The engine on the territory's units with the scenario's options."""
    units = territory_units(setting.bundle, setting.territory)
    result = compute(setting.bundle, {"scenario": units}, options=engine_options(values, setting.levers))
    if result.unavailable:
        raise ScenarioUnavailable(next(iter(result.unavailable.values())))
    rows = result.values[result.values["value"] != 0]  # as stored: a missing figure reads as 0
    figures = Figures(
        zip(rows["measure"], rows["land_use"], rows["detail"], rows["value"], rows["provenance"], strict=True)
    )
    return Scenario(setting, values, figures, trajectory(setting.reference.get(FLUX), figures.get(FLUX), values))


def trajectory(reference_flux: float, scenario_flux: float, values: dict) -> list[dict]:
    """Yearly net flux from 2018 to 2050: the reference held constant, the scenario reaching its levers linearly by
    the horizon year; with the difference cumulated since 2018 (tCO2e, observatory sign)."""
    horizon = values["horizon"]
    points, cumulated = [], 0.0
    for year in range(REFERENCE_YEAR, LAST_YEAR + 1):
        progress = min(1.0, (year - REFERENCE_YEAR) / (horizon - REFERENCE_YEAR))
        flux = reference_flux + (scenario_flux - reference_flux) * progress
        cumulated += flux - reference_flux
        points.append({"year": year, "reference": reference_flux, "scenario": flux, "cumulated": cumulated})
    return points
