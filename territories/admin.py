from django import forms
from django.contrib import admin

from . import vintages
from .models import Correspondence, Membership, Territory


class TerritoryForm(forms.ModelForm):
    # The declared vintages (the model field has no choices: a new vintage is data, not a migration).
    geography = forms.ChoiceField(choices=[(vintage.code, vintage.label) for vintage in vintages.VINTAGES])


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "group"
    raw_id_fields = ("commune",)
    extra = 0
    verbose_name = "commune membre"
    verbose_name_plural = "communes membres"


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    form = TerritoryForm
    list_display = ("name", "kind", "code", "geography", "population", "in_region")
    list_filter = ("kind", "geography", "in_region")
    search_fields = ("name", "code", "search_text")
    readonly_fields = ("search_text",)
    exclude = ("geometry",)  # large; edited by the loader only
    inlines = [MembershipInline]
    list_per_page = 50


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("group", "commune", "status")
    list_filter = ("group__kind", "group__geography", "status")
    search_fields = ("group__name", "group__code", "commune__name", "commune__code")
    raw_id_fields = ("group", "commune")
    list_select_related = ("group", "commune")


@admin.register(Correspondence)
class CorrespondenceAdmin(admin.ModelAdmin):
    list_display = ("source", "target", "share_of_source", "share_of_target")
    list_filter = ("source__kind",)
    search_fields = ("source__name", "source__code", "target__name", "target__code")
    raw_id_fields = ("source", "target")
    list_select_related = ("source", "target")
