"""What VCDM 2.0 calls a URL: an absolute IRI (RFC 3987) with a scheme, as one JSON string.

Identifiers in credentials are often not web addresses (``did:``, ``urn:uuid:``, ``data:``), so
the check is syntactic: a scheme, a colon, and no characters an IRI can never hold (spaces,
controls, ``<>"{}|\\^`` and the backtick). Relative references are not URLs here.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["is_url"]

# scheme ":" then at least one IRI character; \s also covers Unicode spaces
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]+")


def is_url(value: Any) -> bool:
    """True when ``value`` is a single string holding an absolute URL/IRI.

    >>> is_url("did:example:123"), is_url("https ://x"), is_url(["https://a.example"])
    (True, False, False)
    """
    return isinstance(value, str) and _URL.fullmatch(value) is not None
