"""The land-use nomenclature (territories.land_uses): the one source of labels, order and colours."""

from territories.land_uses import BY_SLUG, LAND_USES, LEVEL1, LEVEL2


def test_nomenclature_has_both_levels_in_display_order():
    assert len(LAND_USES) == 25 and len(LEVEL2) == 16
    assert len(LEVEL1) == 9 and all(entry.slug.startswith("groupe:") for entry in LEVEL1)
    feuillu = BY_SLUG["forêt feuillu"]
    assert feuillu.label == "Forêts de feuillus" and feuillu.parent == "groupe:forêts"
    assert BY_SLUG["prairies zones arborées"].label == "Prairies – zones arborées"
    assert [entry.display_order for entry in LAND_USES] == sorted(entry.display_order for entry in LAND_USES)
