"""Context of the « Et si… ? » page of a territory and of its results alone (redrawn by static/js/scenario.js while
the levers move), and the link from the territory page. The query string is the whole state of the page."""

from django.urls import reverse

from territories.models import Territory

from .. import quality, selectors
from ..measures import FLUX, SOURCE, STOCK
from ..models import Release
from ..numbers import describe_flux, describe_stock, format_number
from ..scenarios import (
    CHOICE,
    GROUPS,
    NATIONAL_SOURCE,
    BundleUnavailable,
    InvalidLevers,
    Lever,
    Scenario,
    ScenarioUnavailable,
    cumulated_sentence,
    flux_by_component_table,
    flux_by_group_table,
    flux_sentence,
    national_comparison,
    page_parameters,
    parse_levers,
    query_value,
    run_scenario,
    scenario_url,
    setting_for,
    stock_by_group_table,
    stock_sentence,
    trajectory_table,
)
from .charts import table_figure
from .html_tables import html_table


def scenario_link(territory: Territory, release: Release) -> dict:
    """The territory page's way into the simulator, for the release and geography it shows."""
    path = reverse("pages:scenario", args=[territory.kind, territory.code])
    return {"url": scenario_url(path, page_parameters(territory, release))}


def scenario_context(request, territory: Territory, release: Release | None, whole_page: bool) -> tuple[dict, int]:
    """Everything the page shows (``whole_page``: with the release list, which its results part redrawn while the
    levers move does not show), and its status: 400 when a lever is refused (the form says why), 404 when the
    territory has no figures for the release (the page says why), 503 when the release's data file cannot be read."""
    context = {"territory": territory, "release": release, "source": SOURCE}
    if release is None:
        context["unavailable"] = "Aucun millésime ALDO n'est encore publié."
        return context, 200
    page = page_parameters(territory, release)
    args = [territory.kind, territory.code]
    path = reverse("pages:scenario", args=args)
    context |= {
        "page": page,
        "page_path": path,
        "fragment_path": reverse("pages:scenario_results", args=args),
        "reset_url": scenario_url(path, page),
        "territory_url": scenario_url(reverse("pages:territory", args=args), page),
    }
    if whole_page:
        context["releases"] = release_choices(territory, release)
    try:
        setting = setting_for(release, territory)
    except BundleUnavailable as error:
        context["unavailable"] = str(error)
        return context, 503
    except ScenarioUnavailable as error:
        context["unavailable"] = f"Le simulateur n'est pas disponible pour ce territoire et ce millésime : {error}"
        return context, 404
    context["caveats"] = quality.caveats(territory, selectors.territory_result(release, territory))
    received = dict(request.GET.lists())
    try:
        values = parse_levers(received, setting.levers, release.rule_set)
    except InvalidLevers as invalid:
        known = {lever.name for lever in setting.levers}
        context["errors"] = [
            {"field": name, "anchor": f"levier-{name}" if name in known else "scenario-form", "message": message}
            for name, message in invalid.errors.items()
        ]
        context["form"] = form_fields(setting.levers, received, invalid.errors)
        return context, 400
    scenario = run_scenario(setting, values)
    context["form"] = form_fields(setting.levers, {name: [query_value(v)] for name, v in values.items()}, {})
    context["results"] = results_context(scenario)
    address = scenario_url(path, page, values, setting.levers)
    context |= {
        "address": address,
        "share_url": request.build_absolute_uri(address),
        "xlsx_url": scenario_url(reverse("downloads:scenario", args=args), page, values, setting.levers),
        "api_url": scenario_url(reverse("v1:scenario", args=args), page, values, setting.levers),
    }
    return context, 200


def release_choices(territory: Territory, release: Release) -> list[dict]:
    """The published releases, those without figures for the territory said so before they are chosen."""
    published = selectors.published_releases()
    computed = set(selectors.releases_computing(territory, published))
    return [
        {
            "slug": r.slug,
            "name": str(r) if r.pk in computed else f"{r} (territoire non calculé, simulation impossible)",
            "selected": r.pk == release.pk,
        }
        for r in published
    ]


def form_fields(levers: tuple[Lever, ...], received: dict[str, list[str]], errors: dict[str, str]) -> list[dict]:
    """The form's fieldsets: each lever with the value received (as typed, when refused), its bounds and error."""
    groups: dict[str, dict] = {}
    for lever in levers:
        group = groups.setdefault(lever.group, {"legend": GROUPS[lever.group], "fields": []})
        value = (received.get(lever.name) or [""])[-1] or query_value(lever.default)
        group["fields"].append(
            {
                "name": lever.name,
                "id": f"levier-{lever.name}",
                "label": lever.label,
                "value": value,
                "is_choice": lever.kind == CHOICE,
                "choices": [{"value": v, "label": label, "checked": v == value} for v, label in lever.choices],
                "min": query_value(lever.minimum),
                "max": query_value(lever.maximum),
                "step": lever.step,
                "unit": lever.unit,
                "help": lever.help,
                "error": errors.get(lever.name, ""),
                "disabled": lever.kind != CHOICE and lever.maximum <= lever.minimum,
            }
        )
    return list(groups.values())


def _flux_figure(value: float) -> dict:
    return {"text": format_number(value), "words": describe_flux(value), "is_sequestration": value < 0}


def results_context(scenario: Scenario) -> dict:
    reference, figures = scenario.reference, scenario.figures
    sections = []
    for table in (flux_by_component_table(scenario), flux_by_group_table(scenario)):
        sections.append(
            {
                "slug": table.slug,
                "title": table.title,
                "figure": table_figure(table),
                "figure_id": f"figure-{table.slug}",
                "table": html_table(table),
            }
        )
    trajectory = trajectory_table(scenario)
    return {
        "sentence": flux_sentence(reference.get(FLUX), figures.get(FLUX)),
        "stock_sentence": stock_sentence(reference.get(STOCK), figures.get(STOCK)),
        "key_figures": [
            {
                "label": "Stock de carbone",
                "reference": {
                    "text": format_number(reference.get(STOCK)),
                    "words": describe_stock(reference.get(STOCK)),
                },
                "scenario": {"text": format_number(figures.get(STOCK)), "words": describe_stock(figures.get(STOCK))},
                "unit": "tC",
            },
            {
                "label": "Flux net annuel",
                "reference": _flux_figure(reference.get(FLUX)),
                "scenario": _flux_figure(figures.get(FLUX)),
                "unit": "tCO2e/an",
            },
        ],
        "sections": sections,
        "trajectory": {
            "title": trajectory.title,
            "figure": table_figure(trajectory),
            "table": html_table(trajectory),
            "cumulated": cumulated_sentence(scenario),
            "national": national_comparison(scenario),
            "national_source": NATIONAL_SOURCE,
        },
        "stock_table": html_table(stock_by_group_table(scenario)),
    }
