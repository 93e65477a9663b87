"""ALDO calculation engine: a release bundle in, tidy DataFrames out (no Django here).

bundle = load_bundle(path)            # folder or .zip, validated
result = compute(bundle, {"key": ["59350", "59009"]})
result.values                         # territory, measure, land_use, detail, value, provenance
"""

from .bundle import Bundle, load_bundle
from .engine import EngineResult, compute
from .problems import InvalidBundle

__all__ = ["Bundle", "EngineResult", "InvalidBundle", "compute", "load_bundle"]
