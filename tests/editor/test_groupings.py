"""An editor imports a file of groupings: validation report, review, publication (figures computed by a job), retiring;
every step logged. The same from the command line with import_groupings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import ActionLog, GroupingImport, IndicatorValue, TerritoryResult
from territories.models import Grouping, Territory

pytestmark = pytest.mark.django_db
HEADER = "kind,code,name,member_kind,member_code,geography\n"
VALID = (
    HEADER
    + "scot,SCOT-GA,SCoT du Grand Amiénois,epci,248000531,2026\n"
    + "scot,SCOT-GA,SCoT du Grand Amiénois,epci,200070993,2026\n"
    + "pnr,FR8000036,Parc naturel régional de l'Avesnois,commune,59001,2026\n"
    + "pnr,FR8000036,Parc naturel régional de l'Avesnois,commune,59002,2026\n"
)


def upload(client, content: str, name: str = "regroupements.csv"):
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("editor:upload_groupings"), {"groupings": file})


def confirm(client, url: str, capture=None):
    assert "Confirmer" in client.get(url).content.decode()
    if capture is None:
        return client.post(url, follow=True)
    with capture(execute=True):
        return client.post(url, follow=True)


def test_a_file_with_problems_is_refused_with_its_report_and_nothing_changes(editor_client, releases):
    content = VALID + "scot,SCOT-GA,SCoT du Grand Amiénois,commune,60054,2026\n" + "sCot,X,Y,commune,80021,2026\n"
    response = upload(editor_client, content)
    record = GroupingImport.objects.latest("created_at")
    assert response["Location"] == reverse("editor:grouping_import", args=[record.pk])
    page = editor_client.get(response["Location"]).content.decode()
    assert record.state == GroupingImport.State.INVALID and "Rapport de validation" in page
    assert [(p["row"], p["column"]) for p in record.report] == [(6, "member_code"), (7, "kind")]
    assert "Les Hauts Talican" in page and "<td>regroupements.csv</td>" in page
    assert not Grouping.objects.exists() and not Territory.objects.filter(kind="scot").exists()
    assert "Publier" not in page
    assert ActionLog.objects.get(action="import_groupings").result == "refusé : 2 problème(s)"


def test_the_upload_form_refuses_what_is_not_a_csv(editor_client, releases):
    response = editor_client.post(
        reverse("editor:upload_groupings"), {"groupings": SimpleUploadedFile("x.xlsx", b"PK\x03\x04")}
    )
    assert response.status_code == 400 and "doit être un .csv" in response.content.decode()


def test_review_publish_compute_and_retire(editor_client, releases, django_capture_on_commit_callbacks):
    record_url = upload(editor_client, VALID)["Location"]
    review = editor_client.get(record_url).content.decode()
    assert "Ce que la publication changera" in review
    assert "nouveau" in review and "repris des fichiers de référence" in review  # the Avesnois PNR
    assert "ALDO n&#x27;est pas l&#x27;outil adéquat" in review  # two communes only
    record = GroupingImport.objects.latest("created_at")

    published = confirm(
        editor_client,
        reverse("editor:grouping_import_action", args=[record.pk, "publier"]),
        django_capture_on_commit_callbacks,
    )
    assert "Regroupements publiés" in published.content.decode()
    record.refresh_from_db()
    assert record.state == GroupingImport.State.PUBLISHED and record.computed_at
    scot = Territory.objects.get(kind="scot", code="SCOT-GA", geography="2026")
    assert set(TerritoryResult.objects.filter(territory=scot).values_list("release__slug", "available")) == {
        ("chanterelle", True),
        ("hetre", True),  # two whole EPCIs of 2018
    }
    assert IndicatorValue.objects.filter(territory=scot).exists()
    page = editor_client.get(reverse("pages:territory", args=["pnr", "FR8000036"])).content.decode()
    assert "Chiffres clés</h3>" in page and "n'a pas été trouvée" not in page

    # Updating a grouping is a new file; the review says what changes.
    upload(editor_client, HEADER + "scot,SCOT-GA,SCoT du Grand Amiénois,epci,248000531,2026\n")
    update = GroupingImport.objects.latest("created_at")
    review = editor_client.get(reverse("editor:grouping_import", args=[update.pk])).content.decode()
    assert "mis à jour : +0 / −" in review
    confirm(editor_client, reverse("editor:grouping_import_action", args=[update.pk, "ecarter"]))
    update.refresh_from_db()
    assert update.state == GroupingImport.State.DISCARDED

    avesnois = Grouping.objects.get(kind="pnr", code="FR8000036")
    listing = editor_client.get(reverse("editor:groupings")).content.decode()
    assert "SCoT du Grand Amiénois" in listing and "Retirer" in listing
    confirm(editor_client, reverse("editor:retire_grouping", args=[avesnois.pk]), django_capture_on_commit_callbacks)
    pnr = Territory.objects.get(kind="pnr", code="FR8000036", geography="2026")
    assert not pnr.members.exists() and not IndicatorValue.objects.filter(territory=pnr).exists()
    assert not TerritoryResult.objects.get(territory=pnr, release=releases["chanterelle"]).available
    page = editor_client.get(reverse("pages:territory", args=["pnr", "FR8000036"])).content.decode()
    assert "n'a pas été trouvée" in page
    assert "reported counts" not in page  # the research notes of the reference file stay out of public pages

    actions = list(ActionLog.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions[-5:] == [
        "import_groupings",
        "publish_groupings",
        "import_groupings",
        "discard_groupings",
        "retire_grouping",
    ]
    dashboard = editor_client.get(reverse("editor:dashboard")).content.decode()
    assert "Retrait d&#x27;un regroupement" in dashboard


def test_a_published_file_cannot_be_published_twice(editor_client, releases, django_capture_on_commit_callbacks):
    upload(editor_client, VALID)
    record = GroupingImport.objects.latest("created_at")
    url = reverse("editor:grouping_import_action", args=[record.pk, "publier"])
    confirm(editor_client, url, django_capture_on_commit_callbacks)
    again = editor_client.post(url, follow=True).content.decode()
    assert "ne peut pas être publié" in again


def test_only_editors_reach_the_groupings(client, releases, django_user_model):
    url = reverse("editor:groupings")
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("visiteur", password="x" * 20))
    assert client.get(url).status_code == 403


def test_the_command_checks_publishes_and_computes(tmp_path, releases, capsys, django_capture_on_commit_callbacks):
    wrong = tmp_path / "faux.csv"
    wrong.write_text(HEADER + "scot,S,SCoT,commune,8002x,2026\n", encoding="utf-8")
    with pytest.raises(CommandError, match="faux.csv refusé : 1 problème"):
        call_command("import_groupings", str(wrong))
    assert "faux.csv, ligne 2, colonne member_code" in capsys.readouterr().err

    good = tmp_path / "bon.csv"
    good.write_text(VALID, encoding="utf-8")
    call_command("import_groupings", str(good), "--dry-run")
    assert "rien n'a été publié" in capsys.readouterr().out and not Grouping.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_groupings", str(good))
    out = capsys.readouterr().out
    assert "SCoT du Grand Amiénois (scot SCOT-GA) : 2 membre(s)" in out and "2 regroupement(s) publié(s)" in out
    assert TerritoryResult.objects.filter(territory__kind="scot", available=True).count() == 4  # 2 vintages × 2
