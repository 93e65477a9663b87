import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from indicators.aldo.problems import storable_text
from indicators.aldo.validation import oversized_files
from indicators.models import ImportJob, Release
from indicators.series.validation import METADATA_FILE, VALUES_FILE
from territories.grouping_files import MAX_FILE_BYTES

# A .zip starts with a local file header, or with the end-of-archive record when it is empty (the worker then
# reports the empty archive itself).
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
SLUG_MAX_LENGTH = ImportJob._meta.get_field("release_slug").max_length
FILENAME_MAX_LENGTH = ImportJob._meta.get_field("original_filename").max_length
# A series is validated while the editor waits (no worker): its files stay small.
SERIES_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
METADATA_MAX_BYTES = 64 * 1024


class BundleUploadForm(forms.Form):
    name = forms.CharField(
        label="Nom du millésime",
        max_length=Release._meta.get_field("name").max_length,
        help_text="Par exemple « chanterelle ». Un millésime déjà publié sous ce nom reçoit une nouvelle révision.",
    )
    bundle = forms.FileField(
        label="Archive du millésime (.zip)",
        help_text=(
            f"Un fichier .zip contenant les fichiers CSV du millésime et manifest.json, "
            f"{filesizeformat(settings.BUNDLE_UPLOAD_MAX_BYTES)} au plus."
        ),
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError("Le nom doit contenir au moins une lettre ou un chiffre.")
        if len(slug) > SLUG_MAX_LENGTH:
            raise forms.ValidationError(f"Le nom est trop long ({SLUG_MAX_LENGTH} caractères au plus).")
        return name

    def clean_bundle(self):
        bundle = self.cleaned_data["bundle"]
        if not bundle.name.lower().endswith(".zip"):
            raise forms.ValidationError("Le fichier doit être une archive .zip.")
        if bundle.size > settings.BUNDLE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier pèse {filesizeformat(bundle.size)} : la limite est de "
                f"{filesizeformat(settings.BUNDLE_UPLOAD_MAX_BYTES)}."
            )
        bundle.seek(0)
        signature = bundle.read(4)
        bundle.seek(0)
        if signature not in ZIP_SIGNATURES:
            raise forms.ValidationError("Ce fichier n'est pas une archive .zip : son contenu n'en a pas la signature.")
        oversized = _oversized_entries(bundle)
        if oversized:
            raise forms.ValidationError([f"Archive refusée : {problem}" for problem in oversized])
        bundle.name = storable_text(bundle.name)[:FILENAME_MAX_LENGTH]
        return bundle


def _oversized_entries(bundle) -> list:
    """Files the archive says are larger than a bundle can plausibly hold, before anything is decompressed (the
    worker refuses an entry that decompresses beyond its declared size). A damaged archive is left to the worker's
    report."""
    try:
        with zipfile.ZipFile(bundle) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist() if not info.is_dir()}
    except (zipfile.BadZipFile, OSError, EOFError):
        return []
    finally:
        bundle.seek(0)
    return oversized_files(sizes)


class SeriesUploadForm(forms.Form):
    metadata = forms.FileField(
        label=f"Métadonnées de la série ({METADATA_FILE})",
        help_text="Fichier TOML : identifiant, nom, définition, unité, convention de signe, source, licence, "
        "géographie, fréquence de mise à jour (format décrit dans la documentation du projet).",
        widget=forms.FileInput(attrs={"accept": ".toml"}),
    )
    values = forms.FileField(
        label=f"Valeurs de la série ({VALUES_FILE})",
        help_text="Fichier CSV (UTF-8, séparateur point-virgule ou virgule) : type_territoire, code_territoire, "
        f"periode, une colonne par dimension, valeur ; {filesizeformat(SERIES_UPLOAD_MAX_BYTES)} au plus.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def _checked(self, field: str, extension: str, limit: int):
        uploaded = self.cleaned_data[field]
        if not uploaded.name.lower().endswith(extension):
            raise forms.ValidationError(f"Le fichier doit avoir l'extension {extension}.")
        if uploaded.size > limit:
            raise forms.ValidationError(
                f"Le fichier pèse {filesizeformat(uploaded.size)} : la limite est de {filesizeformat(limit)}."
            )
        return uploaded

    def clean_metadata(self):
        return self._checked("metadata", ".toml", METADATA_MAX_BYTES)

    def clean_values(self):
        return self._checked("values", ".csv", SERIES_UPLOAD_MAX_BYTES)


class GroupingUploadForm(forms.Form):
    groupings = forms.FileField(
        label="Fichier des regroupements (.csv)",
        help_text=(
            "Une ligne par membre : kind (scot, pays, pnr ou groupement), code, name, member_kind (commune ou epci), "
            "member_code, geography (2018 ou 2026) ; UTF-8, séparateur virgule ou point-virgule, "
            f"{filesizeformat(MAX_FILE_BYTES)} au plus."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_groupings(self):
        uploaded = self.cleaned_data["groupings"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError("Le fichier doit être un .csv.")
        if uploaded.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"Le fichier pèse {filesizeformat(uploaded.size)} : la limite est de {filesizeformat(MAX_FILE_BYTES)}."
            )
        return uploaded
