"""Indicator series that editors publish besides the ALDO figures (national carbon budgets, regional emissions…).

``validation`` reads and checks the two files of a series without Django; ``services`` stage, publish and unpublish
them; ``selectors`` read the published ones (the registry gives them to every surface as indicators); ``zones`` are
the reference places a series may name besides the site's territories (France, former regions).
"""
