"""Identifiers jitsuin never puts in a credential: My Number (個人番号), 住民票コード, 基礎年金番号.

The law limits who may collect them (番号法 19条, 住基法 30条の38), and a credential is shown to many verifiers,
so a type file naming such a field is refused, whatever the spelling: camelCase, snake_case, romaji, kanji,
katakana, full-width letters. Matching runs on a folded form (NFKC, lower case, no separators) used only for
this comparison; the names themselves are never rewritten.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["FORBIDDEN_PATTERNS", "forbidden_reason"]

# folded substring -> what it is (for the message)
FORBIDDEN_PATTERNS: dict[str, str] = {
    "mynumber": "My Number (個人番号)",
    "mynanumber": "My Number (個人番号)",
    "individualnumber": "My Number (個人番号)",
    "personalnumber": "My Number (個人番号)",
    "personaladministrativenumber": "My Number (個人番号)",
    "kojinbango": "My Number (個人番号)",
    "kojinbangou": "My Number (個人番号)",
    "個人番号": "My Number (個人番号)",
    "マイナンバー": "My Number (個人番号)",
    "residentrecordcode": "住民票コード (resident record code)",
    "residentregistrationcode": "住民票コード (resident record code)",
    "juminhyocode": "住民票コード (resident record code)",
    "juminhyoucode": "住民票コード (resident record code)",
    "juuminhyoucode": "住民票コード (resident record code)",
    "住民票コード": "住民票コード (resident record code)",
    "住民票code": "住民票コード (resident record code)",
    "basicpensionnumber": "基礎年金番号 (basic pension number)",
    "pensionnumber": "基礎年金番号 (basic pension number)",
    "kisonenkinbango": "基礎年金番号 (basic pension number)",
    "kisonenkinbangou": "基礎年金番号 (basic pension number)",
    "基礎年金番号": "基礎年金番号 (basic pension number)",
    "年金番号": "基礎年金番号 (basic pension number)",
}

_SEPARATORS = re.compile(r"[\s_\-.・･/]+")


def _fold(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).casefold()


def forbidden_reason(text: str) -> str | None:
    """What forbidden identifier ``text`` (a claim name, term or label) names, or None.

    >>> forbidden_reason("my_number")
    'My Number (個人番号)'
    """
    folded = _fold(text)
    for pattern, what in FORBIDDEN_PATTERNS.items():
        if pattern in folded:
            return what
    return None
