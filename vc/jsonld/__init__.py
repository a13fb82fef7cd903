"""JSON-LD for jitsuin: the offline document loader, expansion and canonicalization, and safe mode.

    >>> from vc.jsonld import canonize, default_loader
    >>> nquads = canonize(credential, loader=default_loader(), safe=True)   # doctest: +SKIP
"""

from .loader import BUNDLED_CONTEXTS_DIR, DocumentLoader, default_loader
from .processing import canonize, canonize_dataset, expand, to_dataset, to_nquads
from .safe_mode import SafeProcessor, check_safe, expand_safe

__all__ = [
    "BUNDLED_CONTEXTS_DIR",
    "DocumentLoader",
    "SafeProcessor",
    "canonize",
    "canonize_dataset",
    "check_safe",
    "default_loader",
    "expand",
    "expand_safe",
    "to_dataset",
    "to_nquads",
]
