"""Text normalisation shared by the loader (``Territory.search_text``) and the search selector."""

import re
import unicodedata

# Ligatures that Unicode decomposition does not split (``œ`` → ``oe``), so "oeuvre" finds "Œuvre".
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lower-case, accent-free, punctuation folded to single spaces: "Saint-Omer" → "saint omer"."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return _NON_ALNUM.sub(" ", text).strip()
