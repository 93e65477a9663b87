"""Editor area for indicator series: upload the two files, read the validation report, review a staged version
against the published one, publish, discard, unpublish. Thin views over ``indicators.series``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from indicators.models import SeriesVersion
from indicators.numbers import plural
from indicators.pages.indicator import series_sections
from indicators.series import services
from indicators.series.model import SeriesMetadata
from indicators.series.selectors import baseline_for, compare_versions, series_points
from indicators.series.validation import InvalidSeries
from territories import vintages

from .actions import ReleaseAction, perform
from .forms import SeriesUploadForm
from .permissions import editor_required

Status = SeriesVersion.Status
SERIES_ACTIONS = {
    action.slug: action
    for action in (
        ReleaseAction(
            "publier",
            "Publier",
            "La série sera visible de tous : sur sa page d'indicateur, sur la page de chaque territoire qui a des "
            "valeurs, dans les fichiers et l'API. La révision publiée de la même série, s'il y en a une, sera "
            "remplacée (elle reste consultable ici et peut être republiée).",
            services.publish_series,
            (Status.STAGED, Status.WITHDRAWN, Status.SUPERSEDED),
            "{version} est publiée.",
        ),
        ReleaseAction(
            "ecarter",
            "Écarter",
            "Les valeurs importées seront supprimées. Le journal garde la trace de l'import et de cette décision.",
            services.discard_series,
            (Status.STAGED,),
            "{version} est écartée : ses valeurs sont supprimées.",
            dangerous=True,
        ),
        ReleaseAction(
            "depublier",
            "Dépublier",
            "La série ne sera plus visible nulle part sur le site, ni dans les fichiers et l'API.",
            services.unpublish_series,
            (Status.PUBLISHED,),
            "{version} est dépubliée.",
            dangerous=True,
        ),
    )
}


def series_actions_for(version: SeriesVersion) -> list[ReleaseAction]:
    return [action for action in SERIES_ACTIONS.values() if version.status in action.allowed_statuses]


@editor_required
@require_http_methods(["GET", "POST"])
def series_upload(request):
    form = SeriesUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "report": [], "failure": ""}
    if request.method == "POST" and form.is_valid():
        metadata, values = form.cleaned_data["metadata"], form.cleaned_data["values"]
        try:
            version = services.import_series(
                metadata.read(), metadata.name, values.read(), values.name, user=request.user
            )
        except InvalidSeries as invalid:
            context.update(report=[problem.as_dict() for problem in invalid.problems], failure=str(invalid))
        else:
            messages.success(request, f"{version} : {plural(version.row_count, 'valeur')} en attente de publication.")
            return redirect("editor:series", pk=version.pk)
    status = 400 if form.errors or context["report"] else 200
    return render(request, "editor/series_upload.html", context, status=status)


@editor_required
@require_GET
def series_detail(request, pk: int):
    version = get_object_or_404(SeriesVersion.objects.select_related("created_by"), pk=pk)
    meta = SeriesMetadata.from_dict(version.metadata)
    baseline = baseline_for(version)
    context = {
        "version": version,
        "meta": meta,
        "geography_label": vintages.get(meta.geography).label,
        "baseline": baseline,
        "actions": series_actions_for(version),
        "changes": compare_versions(baseline, version) if version.status != Status.DISCARDED else None,
        "tables": [],
    }
    if version.status != Status.DISCARDED:
        context["tables"] = series_sections(meta, series_points(version.pk, meta.geography))
    return render(request, "editor/series_detail.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def series_action(request, pk: int, action: str):
    """GET asks for confirmation; POST does it."""
    version = get_object_or_404(SeriesVersion, pk=pk)
    if action not in SERIES_ACTIONS:
        raise Http404("Action inconnue.")
    chosen = SERIES_ACTIONS[action]
    if request.method == "POST":
        perform(request, chosen, version, version=version)
        return redirect("editor:series", pk=version.pk)
    context = {
        "target": version,
        "target_noun": "la série",
        "state": version.get_status_display(),
        "action": chosen,
        "allowed": chosen in series_actions_for(version),
        "cancel_url": reverse("editor:series", kwargs={"pk": version.pk}),
    }
    return render(request, "editor/confirm_action.html", context)
