"""Which VC Data Model a document follows, from its first ``@context`` entry.

VCDM 2.0 section 4.3 requires ``https://www.w3.org/ns/credentials/v2`` first; VCDM 1.1 used
``https://www.w3.org/2018/credentials/v1``. Nothing else may come first.
"""

from __future__ import annotations

from typing import Any, Literal

from ..errors import DataModelError

__all__ = ["CREDENTIALS_V1_CONTEXT", "CREDENTIALS_V2_CONTEXT", "DataModelVersion", "data_model_version"]

CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"

DataModelVersion = Literal["2.0", "1.1"]

_VERSIONS: dict[str, DataModelVersion] = {CREDENTIALS_V2_CONTEXT: "2.0", CREDENTIALS_V1_CONTEXT: "1.1"}


def data_model_version(doc: Any, *, path: str = "") -> DataModelVersion:
    """``"2.0"`` or ``"1.1"`` for a credential or presentation; DataModelError otherwise.

    >>> data_model_version({"@context": ["https://www.w3.org/ns/credentials/v2"]})
    '2.0'
    """
    prop = f"{path}.@context" if path else "@context"
    if not isinstance(doc, dict) or "@context" not in doc:
        raise DataModelError(
            f"{prop} is missing; add {CREDENTIALS_V2_CONTEXT!r} as its first entry",
            code="MISSING_CONTEXT",
            property=prop,
        )
    contexts = doc["@context"]
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    version = _VERSIONS.get(first) if isinstance(first, str) else None
    if version is None:
        raise DataModelError(
            f"the first entry of {prop} must be {CREDENTIALS_V2_CONTEXT!r} "
            f"(or {CREDENTIALS_V1_CONTEXT!r} for VCDM 1.1)",
            code="INVALID_CONTEXT",
            property=prop,
        )
    return version
