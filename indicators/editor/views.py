"""Editor area: upload a bundle, follow its import, review what would change, publish or discard; the same for files of
groupings (SCoT, Pays, PNR…), and retiring a grouping.

Thin views: the writes are the services of ``indicators.services`` and ``grouping_services``, the reads
``selectors`` and ``review``.
"""

from pathlib import Path

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from indicators import grouping_services, services
from indicators.models import GroupingImport, ImportJob, Release
from indicators.series.selectors import versions
from territories.models import Grouping

from . import selectors
from .actions import ReleaseAction, perform
from .forms import BundleUploadForm, GroupingUploadForm
from .permissions import editor_required
from .review import review
from .series import series_actions_for
from .uploads import store_bundle

WAITING_FOR_BROKER = (
    "Le serveur de calcul est momentanément injoignable : l'import est enregistré et en attente. Il démarrera "
    "de lui-même dès que le serveur sera de nouveau disponible ; inutile d'importer le fichier une seconde fois."
)


ACTION_LABELS = {
    "import": "Import",
    "compute": "Calcul",
    "publish": "Publication",
    "make_current": "Affichage par défaut",
    "unpublish": "Dépublication",
    "discard": "Mise à l'écart",
    "series_import": "Import de série",
    "series_publish": "Publication de série",
    "series_unpublish": "Dépublication de série",
    "series_discard": "Mise à l'écart de série",
    "import_groupings": "Import de regroupements",
    "publish_groupings": "Publication de regroupements",
    "discard_groupings": "Mise à l'écart de regroupements",
    "retire_grouping": "Retrait d'un regroupement",
}


RELEASE_ACTIONS = {
    action.slug: action
    for action in (
        ReleaseAction(
            "publier",
            "Publier",
            "Le millésime sera visible de tous et affiché par défaut. La révision publiée du même millésime, s'il y "
            "en a une, sera remplacée (elle reste consultable ici et peut être republiée).",
            services.publish_release,
            (Release.Status.STAGED, Release.Status.WITHDRAWN, Release.Status.SUPERSEDED),
            "{release} est publié et affiché par défaut.",
        ),
        ReleaseAction(
            "ecarter",
            "Écarter",
            "Les chiffres calculés seront supprimés. Le journal garde la trace de l'import et de cette décision.",
            services.discard_release,
            (Release.Status.STAGED,),
            "{release} est écarté : ses chiffres sont supprimés.",
            dangerous=True,
        ),
        ReleaseAction(
            "depublier",
            "Dépublier",
            "Le millésime ne sera plus visible. S'il était affiché par défaut, le plus récent des autres millésimes "
            "publiés le remplace.",
            services.unpublish_release,
            (Release.Status.PUBLISHED,),
            "{release} est dépublié.",
            dangerous=True,
        ),
        ReleaseAction(
            "afficher-par-defaut",
            "Afficher par défaut",
            "Les pages du site montreront ce millésime quand aucun millésime n'est choisi.",
            services.make_current,
            (Release.Status.PUBLISHED,),
            "{release} est désormais affiché par défaut.",
        ),
    )
}


def actions_for(release: Release) -> list[ReleaseAction]:
    allowed = [action for action in RELEASE_ACTIONS.values() if release.status in action.allowed_statuses]
    return [action for action in allowed if not (action.slug == "afficher-par-defaut" and release.is_current)]


@editor_required
@require_GET
def dashboard(request):
    releases = [(release, actions_for(release)) for release in selectors.releases()]
    context = {
        "releases": releases,
        "series_versions": [(version, series_actions_for(version)) for version in versions()],
        "jobs": selectors.recent_jobs(),
        "log": [(entry, ACTION_LABELS.get(entry.action, entry.action)) for entry in selectors.recent_actions()],
    }
    return render(request, "editor/dashboard.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def upload(request):
    form = BundleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        bundle = form.cleaned_data["bundle"]
        stored = store_bundle(bundle)
        name = form.cleaned_data["name"]
        job = services.start_import(stored, name, user=request.user, original_filename=bundle.name)
        job.refresh_from_db()
        if Path(job.source_path) != stored:
            stored.unlink()  # the same file already waits in an unfinished import of this millésime
            messages.info(request, f"Ce fichier est déjà en cours d'import sous ce nom : voici l'import n° {job.pk}.")
        if job.waits_for_broker:
            messages.warning(request, WAITING_FOR_BROKER)
        return redirect("editor:job", pk=job.pk)
    return render(request, "editor/upload.html", {"form": form}, status=400 if form.errors else 200)


@editor_required
@require_GET
def job_detail(request, pk: int):
    job = get_object_or_404(ImportJob.objects.select_related("release", "created_by"), pk=pk)
    context = {
        "job": job,
        "report": _with_uploaded_name(job, job.report),
        "failure": _with_uploaded_name(job, job.message) if job.state == ImportJob.State.FAILED else "",
        "running": selectors.is_running(job),
        "interrupted": selectors.looks_interrupted(job),
        "waiting_for_broker": WAITING_FOR_BROKER if job.waits_for_broker else "",
    }
    if job.state == ImportJob.State.READY and job.release and job.release.status != Release.Status.DISCARDED:
        context.update(review(request, job.release, actions_for(job.release)))
    return render(request, "editor/job_detail.html", context)


def _with_uploaded_name(job: ImportJob, found):
    """Problems of the archive itself name the stored file (a random name): show the editor's file name instead."""
    stored_name = Path(job.source_path).name
    if not job.original_filename or stored_name == job.original_filename:
        return found
    if isinstance(found, str):
        return found.replace(stored_name, job.original_filename)
    return [{**problem, "file": _with_uploaded_name(job, problem.get("file") or "")} for problem in found]


@editor_required
@require_GET
def job_status(request, pk: int):
    """What the progress bar polls: small, no HTML."""
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "progress": job.progress,
            "attempts": job.attempts,
            "finished": not selectors.is_running(job),
            "waiting_for_broker": job.waits_for_broker,
        }
    )


@editor_required
@require_http_methods(["GET", "POST"])
def release_action(request, pk: int, action: str):
    """GET asks for confirmation; POST does it."""
    release = get_object_or_404(Release, pk=pk)
    if action not in RELEASE_ACTIONS:
        raise Http404("Action inconnue.")
    chosen = RELEASE_ACTIONS[action]
    if request.method == "POST":
        perform(request, chosen, release, release=release)
        return redirect("editor:dashboard")
    state = release.get_status_display() + (", affiché par défaut" if release.is_current else "")
    context = {
        "target": release,
        "target_noun": "le millésime",
        "state": state,
        "action": chosen,
        "allowed": chosen in actions_for(release),
        "cancel_url": _back_url(release),
    }
    return render(request, "editor/confirm_action.html", context)


def _back_url(release: Release) -> str:
    job = release.jobs.order_by("-created_at").first()
    return reverse("editor:job", kwargs={"pk": job.pk}) if job else reverse("editor:dashboard")


# --- groupings (SCoT, Pays, PNR, named groupings) ----------------------------------------------------------------

GROUPING_ACTIONS = {
    "publier": (
        "Publier",
        "Les regroupements auront leur page, leurs téléchargements et leur entrée dans la recherche ; leurs chiffres "
        "seront calculés pour chaque millésime par le serveur de calcul.",
        grouping_services.publish_groupings,
        "Regroupements publiés : leurs chiffres sont en cours de calcul.",
    ),
    "ecarter": (
        "Écarter",
        "Le fichier ne sera pas publié ; le journal garde la trace de l'import.",
        grouping_services.discard_groupings,
        "Fichier de regroupements écarté.",
    ),
}


@editor_required
@require_GET
def groupings(request):
    context = {
        "groupings": selectors.groupings(),
        "imports": selectors.grouping_imports(),
        "form": GroupingUploadForm(),
    }
    return render(request, "editor/groupings.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def upload_groupings(request):
    form = GroupingUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["groupings"]
        record = grouping_services.check_groupings(uploaded.read(), uploaded.name, user=request.user)
        return redirect("editor:grouping_import", pk=record.pk)
    return render(request, "editor/groupings_upload.html", {"form": form}, status=400 if form.errors else 200)


@editor_required
@require_GET
def grouping_import(request, pk: int):
    record = get_object_or_404(GroupingImport.objects.select_related("created_by"), pk=pk)
    context = {"record": record, "changes": selectors.grouping_changes(record) if record.groupings else []}
    return render(request, "editor/grouping_import.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def grouping_import_action(request, pk: int, action: str):
    """GET asks for confirmation; POST does it."""
    record = get_object_or_404(GroupingImport, pk=pk)
    if action not in GROUPING_ACTIONS:
        raise Http404("Action inconnue.")
    label, consequence, service, success = GROUPING_ACTIONS[action]
    back = reverse("editor:grouping_import", kwargs={"pk": record.pk})
    if request.method == "POST":
        try:
            service(record, user=request.user)
        except grouping_services.GroupingActionError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, success)
        return redirect(back)
    context = {
        "title": f"{label} : {record}",
        "consequence": consequence,
        "allowed": record.state == GroupingImport.State.READY,
        "button": f"Confirmer : {label.lower()}",
        "dangerous": action == "ecarter",
        "cancel_url": back,
    }
    return render(request, "editor/confirm_grouping.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def retire_grouping(request, pk: int):
    """GET asks for confirmation; POST retires the grouping."""
    grouping = get_object_or_404(Grouping, pk=pk)
    if request.method == "POST":
        try:
            grouping_services.retire_grouping(grouping, user=request.user)
        except grouping_services.GroupingActionError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{grouping} est retiré.")
        return redirect("editor:groupings")
    context = {
        "title": f"Retirer {grouping}",
        "consequence": (
            "Sa page, ses chiffres et son entrée dans la recherche disparaîtront ; un PNR des fichiers de référence "
            "retrouve son état d'avant l'import. Le journal garde la trace du retrait ; un nouvel import le rétablit."
        ),
        "allowed": grouping.is_active,
        "button": "Confirmer : retirer",
        "dangerous": True,
        "cancel_url": reverse("editor:groupings"),
    }
    return render(request, "editor/confirm_grouping.html", context)
