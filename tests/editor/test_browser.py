"""In Debian's Chromium: log in, upload the HETRE bundle, review, publish; upload a broken bundle, read the report."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from indicators.editor.permissions import add_editor
from indicators.models import ImportJob, Release
from indicators.registry import INDICATORS
from tests.aldo.malformed import EXPECTED_PROBLEMS, MALFORMED_CASES
from tests.conftest import check_accessibility, load_full_database

from .conftest import PASSWORD, zip_folder

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def browser_page(watched_page, transactional_db):
    if not Release.objects.published().exists():  # a transactional test flushed the session database
        load_full_database()
    add_editor(get_user_model().objects.create_user("editrice", password=PASSWORD))
    return watched_page


def test_an_editor_uploads_reviews_and_publishes_then_reads_the_report_of_a_broken_bundle(
    browser_page, live_server, tmp_path
):
    page = browser_page
    page.goto(f"{live_server.url}/editeur/")
    expect(page.get_by_role("heading", name="Connexion à l'espace éditeur")).to_be_visible()
    check_accessibility(page, "editor-login")
    page.get_by_label("Identifiant").fill("editrice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Espace éditeur", exact=True)).to_be_visible()
    check_accessibility(page, "editor-dashboard")

    page.get_by_role("link", name="Importer un millésime").click()
    check_accessibility(page, "editor-upload")
    page.get_by_label("Nom du millésime").fill("hetre")
    page.get_by_label("Archive du millésime (.zip)").set_input_files(
        zip_folder(settings.FIXTURES_DIR / "aldo" / "hetre", tmp_path / "hetre.zip")
    )
    page.get_by_role("button", name="Envoyer et vérifier").click()
    page.wait_for_url("**/editeur/imports/*/")
    # Tasks run in-process here, so the job is over when the page opens; with a worker the progress bar shows first.
    expect(page.get_by_role("heading", name="Ce qui change par rapport au millésime publié HETRE")).to_be_visible()
    # The same data again: the review says that nothing changes, and lists the figures only on request.
    expect(page.get_by_text("Aucun chiffre ne change par rapport à HETRE")).to_be_visible()
    page.get_by_label("Montrer aussi les chiffres identiques").check()
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator(".review-table tbody tr").first).to_be_visible()
    check_accessibility(page, "editor-review")
    page.set_viewport_size({"width": 390, "height": 844})  # an editor on a phone: the tables scroll, not the page
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The decision is offered above the figures and again below them.
    page.get_by_role("link", name="Publier HETRE (révision 2)").first.click()
    check_accessibility(page, "editor-confirm")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("HETRE (révision 2) est publié et affiché par défaut.")).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="HETRE (hetre)")).filter(has_text="Publié")
    expect(row.filter(has_text="Oui")).to_have_count(1)
    assert Release.objects.current().revision == 2

    name, build = next((name, build) for name, build in MALFORMED_CASES if name == "surface_negative")
    page.get_by_role("link", name="Importer un millésime").click()
    page.get_by_label("Nom du millésime").fill("chanterelle")
    page.get_by_label("Archive du millésime (.zip)").set_input_files(build(tmp_path))
    page.get_by_role("button", name="Envoyer et vérifier").click()
    expect(page.get_by_role("heading", name="Rapport de validation : l'import a échoué")).to_be_visible()
    expected = EXPECTED_PROBLEMS[name]
    problem = page.locator(".validation-report tbody tr").filter(has_text=expected.message_contains)
    expect(problem).to_contain_text(expected.file)
    expect(problem).to_contain_text(expected.column)
    expect(problem).to_contain_text(str(expected.row))
    check_accessibility(page, "editor-report")
    assert not page.problems, page.problems


def test_the_job_page_follows_a_running_import_until_it_ends(browser_page, live_server):
    page = browser_page
    job = ImportJob.objects.create(
        release_slug="hetre", source_path="/x.zip", checksum="0" * 64, state=ImportJob.State.VALIDATING, progress=5
    )
    page.goto(f"{live_server.url}/editeur/connexion/?next=/editeur/imports/{job.pk}/")
    page.get_by_label("Identifiant").fill("editrice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#job-progress-text")).to_have_text("Validation en cours : 5 %")
    check_accessibility(page, "editor-progress")

    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.COMPUTING, progress=70)
    expect(page.locator("#job-progress-text")).to_have_text("Calcul en cours : 70 %")
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "70")

    report = [{"file": "hedges.csv", "row": 6, "column": "length_km", "message": "valeur négative « -0.1 »"}]
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.FAILED, progress=100, message="Le millésime contient 1 problème", report=report
    )
    expect(page.get_by_role("heading", name="Rapport de validation : l'import a échoué")).to_be_visible()
    expect(page.locator(".validation-report tbody tr")).to_contain_text("valeur négative « -0.1 »")
    assert not page.problems, page.problems


def test_anyone_compares_two_releases_for_a_territory(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/comparer/epci/200035442/?geographie=2018")
    expect(page.get_by_role("heading", name="Ce qui change entre HETRE et CHANTERELLE")).to_be_visible()
    expect(
        page.get_by_role("table", name="Stock de carbone par occupation des sols : d'où vient l'écart (tC)")
    ).to_be_visible()
    page.get_by_label("Millésime de départ").select_option("chanterelle")
    page.get_by_label("Millésime d'arrivée").select_option("hetre")
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", name="Ce qui change entre CHANTERELLE et HETRE")).to_be_visible()
    check_accessibility(page, "editor-comparison")
    assert not page.problems, page.problems


def test_an_editor_imports_groupings_reads_the_report_reviews_and_publishes(browser_page, live_server, tmp_path):
    page = browser_page
    page.goto(f"{live_server.url}/editeur/connexion/?next=/editeur/regroupements/")
    page.get_by_label("Identifiant").fill("editrice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Regroupements : SCoT, Pays, PNR et autres")).to_be_visible()
    check_accessibility(page, "editor-groupings")

    header = "kind,code,name,member_kind,member_code,geography\n"
    broken, good = tmp_path / "scot-faux.csv", tmp_path / "scot.csv"
    broken.write_text(header + "scot,SCOT-GA,SCoT du Grand Amiénois,commune,60054,2026\n", encoding="utf-8")
    good.write_text(header + "scot,SCOT-GA,SCoT du Grand Amiénois,epci,248000531,2026\n", encoding="utf-8")
    for path in (broken, good):
        page.get_by_role("link", name="Importer un fichier de regroupements").click()
        page.get_by_label("Fichier des regroupements (.csv)").set_input_files(path)
        page.get_by_role("button", name="Envoyer et vérifier").click()
        if path == broken:
            expect(page.get_by_role("heading", name="Rapport de validation : le fichier est refusé")).to_be_visible()
            expect(page.locator(".validation-report tbody tr")).to_contain_text("Les Hauts Talican")
            check_accessibility(page, "editor-groupings-report")
            page.get_by_role("link", name="Regroupements", exact=True).click()
    expect(page.get_by_role("heading", name="Ce que la publication changera")).to_be_visible()
    check_accessibility(page, "editor-groupings-review")
    page.get_by_role("link", name="Publier").click()
    page.get_by_role("button", name="Confirmer : publier").click()
    expect(page.get_by_text("Regroupements publiés")).to_be_visible()
    page.goto(f"{live_server.url}/territoire/scot/SCOT-GA/")
    # every ALDO indicator, and the energy-crop series of the former region of its communes (Picardie)
    expect(page.locator(".chart--drawn")).to_have_count(len(INDICATORS) + 1)
    assert not page.problems, page.problems
