"""SD-JWT serializations: compact ``<JWS>~<D1>~...~<Dn>~[<KB-JWT>]`` (RFC 9901 section 4) and the
JWS JSON serializations, flattened and general (section 8), parsed into one ``SdJwt`` value.

Size limits apply before anything is decoded: ``MAX_SD_JWT_BYTES`` for the whole string and
``MAX_DISCLOSURE_BYTES`` for all Disclosures together (``SD_JWT_TOO_LARGE`` /
``DISCLOSURES_TOO_LARGE``); structure errors are ``MALFORMED_SD_JWT``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from vc.errors import JoseError
from vc.jose.json_codec import strict_loads

__all__ = [
    "MAX_DISCLOSURES",
    "MAX_DISCLOSURE_BYTES",
    "MAX_SD_JWT_BYTES",
    "SdJwt",
    "parse_sd_jwt",
]

MAX_SD_JWT_BYTES = 2_000_000
MAX_DISCLOSURE_BYTES = 512_000  # all Disclosures together; a portrait fits, 1 MB does not
MAX_DISCLOSURES = 2_000


@dataclass(frozen=True, slots=True)
class SdJwt:
    """An SD-JWT or SD-JWT+KB, whatever its serialization; untrusted until verified.

    ``issuer_jwt`` is the compact Issuer-signed JWT (for the JSON serializations: its first
    signature's ``protected.payload.signature``), ``disclosures`` the base64url Disclosures in
    order, ``kb_jwt`` the Key Binding JWT or None.
    """

    issuer_jwt: str
    disclosures: tuple[str, ...] = ()
    kb_jwt: str | None = None
    serialization: str = "compact"  # "compact" | "flattened" | "general"
    unprotected: dict[str, Any] = field(default_factory=dict)  # first signature's other header members
    other_signatures: tuple[dict[str, Any], ...] = ()  # general serialization: signatures after the first

    def sd_jwt_part(self) -> str:
        """The compact SD-JWT without KB-JWT (``<JWS>~<D1>~...~``): what ``sd_hash`` covers (section 4.3.1)."""
        return self.issuer_jwt + "~" + "".join(d + "~" for d in self.disclosures)

    def with_disclosures(self, disclosures: tuple[str, ...] | list[str], kb_jwt: str | None = None) -> SdJwt:
        return replace(self, disclosures=tuple(disclosures), kb_jwt=kb_jwt)

    def serialize(self) -> str:
        """In the serialization it was parsed from (a holder answers in the issuer's form)."""
        if self.serialization == "compact":
            return self.sd_jwt_part() + (self.kb_jwt or "")
        protected, payload, signature = self.issuer_jwt.split(".")
        header: dict[str, Any] = {"disclosures": list(self.disclosures)}
        header.update(self.unprotected)
        if self.kb_jwt:
            header["kb_jwt"] = self.kb_jwt
        first = {"header": header, "protected": protected, "signature": signature}
        if self.serialization == "flattened":
            return json.dumps({**first, "payload": payload})
        return json.dumps({"payload": payload, "signatures": [first, *self.other_signatures]})


def parse_sd_jwt(text: str, *, max_bytes: int = MAX_SD_JWT_BYTES, max_disclosure_bytes: int = MAX_DISCLOSURE_BYTES) -> SdJwt:
    """Split an SD-JWT(+KB) in any serialization; coded JoseError when it is not one."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    if not isinstance(text, str):
        raise JoseError("an SD-JWT must be a string", code="MALFORMED_SD_JWT")
    if len(text) > max_bytes:
        raise JoseError(f"the SD-JWT is larger than {max_bytes} bytes", code="SD_JWT_TOO_LARGE")
    text = text.strip()
    token = _parse_json(text) if text.startswith("{") else _parse_compact(text)
    if sum(len(d) for d in token.disclosures) > max_disclosure_bytes or len(token.disclosures) > MAX_DISCLOSURES:
        raise JoseError(
            f"the Disclosures together exceed {max_disclosure_bytes} bytes or {MAX_DISCLOSURES} entries",
            code="DISCLOSURES_TOO_LARGE",
        )
    return token


def _parse_compact(text: str) -> SdJwt:
    if "~" not in text:
        raise JoseError("an SD-JWT is '<JWS>~<Disclosures>~' and has no '~' here", code="MALFORMED_SD_JWT")
    jws, *disclosures, last = text.split("~")
    if not jws or any(not d for d in disclosures):
        raise JoseError("the SD-JWT has an empty part between '~' separators", code="MALFORMED_SD_JWT")
    return SdJwt(jws, tuple(disclosures), last or None)


def _parse_json(text: str) -> SdJwt:
    data = strict_loads(text, code="MALFORMED_SD_JWT", what="the JSON-serialized SD-JWT")
    if not isinstance(data, dict) or not isinstance(data.get("payload"), str):
        raise JoseError("a JSON-serialized SD-JWT needs a 'payload' string", code="MALFORMED_SD_JWT")
    if "signatures" in data:
        sigs = data["signatures"]
        if not isinstance(sigs, list) or not sigs or not all(isinstance(s, dict) for s in sigs):
            raise JoseError("'signatures' must be a non-empty list of objects", code="MALFORMED_SD_JWT")
        first, others, serialization = sigs[0], tuple(sigs[1:]), "general"
        for other in others:
            header = other.get("header", {})
            if isinstance(header, dict) and ("disclosures" in header or "kb_jwt" in header):
                # section 8.3: only the first unprotected header may carry them
                raise JoseError("only the first signature may carry 'disclosures'/'kb_jwt'", code="MALFORMED_SD_JWT")
    else:
        first, others, serialization = data, (), "flattened"
    protected, signature = first.get("protected"), first.get("signature")
    header = first.get("header", {})
    if not isinstance(protected, str) or not isinstance(signature, str) or not isinstance(header, dict):
        raise JoseError("a JSON-serialized SD-JWT signature needs 'protected' and 'signature'", code="MALFORMED_SD_JWT")
    disclosures = header.get("disclosures", [])
    kb_jwt = header.get("kb_jwt")
    if not isinstance(disclosures, list) or not all(isinstance(d, str) and d for d in disclosures):
        raise JoseError("'disclosures' must be a list of strings", code="MALFORMED_SD_JWT")
    if kb_jwt is not None and (not isinstance(kb_jwt, str) or not kb_jwt):
        raise JoseError("'kb_jwt' must be a compact JWT", code="MALFORMED_SD_JWT")
    unprotected = {k: v for k, v in header.items() if k not in ("disclosures", "kb_jwt")}
    return SdJwt(
        f"{protected}.{data['payload']}.{signature}",
        tuple(disclosures),
        kb_jwt,
        serialization,
        unprotected,
        others,
    )
