"""Verifiable presentations secured with Data Integrity proofs (VCDM 2.0 section 4.13, VC Data
Integrity section 4.2/4.3): the holder signs with proof purpose ``authentication`` and the
verifier's ``challenge`` (and ``domain``), so a presentation cannot be replayed elsewhere.

>>> vp = issue_presentation([credential], holder_key, challenge="c-123", domain="https://verifier.example")
>>> verify_presentation(vp, challenge="c-123", domain="https://verifier.example").verified
True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from .credentials import DEFAULT_SKEW
from .did import DidResolver, default_resolver, did_key
from .errors import UsageError
from .input import copy_json
from .jose.check_list import CheckList
from .jose.envelope import verify_presentation_entry
from .status import StatusChecker
from .jose.vc_jwt import default_kid
from .jsonld import DocumentLoader, check_safe, default_loader
from .keys import KeyPair
from .model import CREDENTIALS_V2_CONTEXT, format_datetime, validate_presentation
from .proofs import add_proof, verify_proofs
from .results import VerificationResult

__all__ = ["PRESENTATION_SUITES", "issue_presentation", "verify_presentation"]

PRESENTATION_SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019")


def issue_presentation(
    credentials: Sequence[Mapping[str, Any] | str],
    key: KeyPair,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    holder: str | None = None,
    verification_method: str | None = None,
    cryptosuite: str | None = None,
    presentation: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """A ``VerifiablePresentation`` of ``credentials`` (secured credential objects, or compact
    vc+jwt / SD-JWT strings, which are enveloped) signed by the holder for ``authentication``.

    ``holder`` defaults to the key's did:key; ``cryptosuite`` to eddsa-rdfc-2022 (Ed25519) or
    ecdsa-rdfc-2019 (P-256); ``presentation`` supplies other members (e.g. ``id``).
    """
    from .jose.envelope import envelope_credential

    suite = cryptosuite or ("ecdsa-rdfc-2019" if key.alg == "P-256" else "eddsa-rdfc-2022")
    if suite not in PRESENTATION_SUITES:
        raise UsageError(f"presentations are signed with one of {', '.join(PRESENTATION_SUITES)}")
    vp: dict[str, Any] = {"@context": [CREDENTIALS_V2_CONTEXT], "type": ["VerifiablePresentation"]}
    vp.update(copy_json(dict(presentation or {})))
    vp.pop("proof", None)
    vp["holder"] = holder or vp.get("holder") or did_key(key.public)
    holder_id = vp["holder"]["id"] if isinstance(vp["holder"], Mapping) else vp["holder"]
    vp["verifiableCredential"] = [
        copy_json(dict(c)) if isinstance(c, Mapping) else envelope_credential(c) for c in credentials
    ]
    loader = loader or default_loader()
    validate_presentation(vp)
    check_safe(vp, loader=loader)
    return add_proof(
        vp,
        key,
        cryptosuite=suite,
        verification_method=verification_method or default_kid(key.public, holder_id),
        proof_purpose="authentication",
        created=format_datetime((now or datetime.now(timezone.utc)).replace(microsecond=0)),
        challenge=challenge,
        domain=domain,
        loader=loader,
    )


def verify_presentation(
    presentation: Mapping[str, Any],
    *,
    challenge: str | None = None,
    domain: str | None = None,
    resolver: DidResolver | None = None,
    loader: DocumentLoader | None = None,
    now: datetime | None = None,
    skew: timedelta = DEFAULT_SKEW,
    suites: Collection[str] | None = None,
    key_lookup: Any = None,
    status: StatusChecker | bool = True,
) -> VerificationResult:
    """Verify a Data Integrity presentation and every credential in it; never raises for bad input.

    ``status`` applies to each embedded credential, as in ``vc.credentials.verify_credential``.

    The holder's proof must have purpose ``authentication``, be made by a key its ``holder``
    controls and carry exactly the ``challenge``/``domain`` given (each enforced when given).
    Embedded credentials verify in their own format (Data Integrity, enveloped vc+jwt, SD-JWT);
    ``key_lookup`` is passed to the JOSE ones.
    """
    loader = loader or default_loader()
    resolver = resolver or default_resolver()
    now = now or datetime.now(timezone.utc)
    doc = dict(presentation) if isinstance(presentation, Mapping) else presentation
    checks = CheckList()
    checks.run("data_model", lambda: validate_presentation(doc))
    if not checks.ok or not isinstance(doc, dict):
        return VerificationResult(checks=checks.checks(), format="ldp_vp")
    safe = checks.run("jsonld", lambda: (check_safe(doc, loader=loader), True)[1])
    if safe:
        checks.extend(
            verify_proofs(
                doc,
                resolver=resolver,
                loader=loader,
                expected_purpose="authentication",
                challenge=challenge,
                domain=domain,
                now=now,
                suites=suites,
            )
        )
    entries = doc.get("verifiableCredential", [])
    entries = entries if isinstance(entries, list) else [entries]
    results = tuple(
        verify_presentation_entry(
            e, resolver=resolver, loader=loader, now=now, skew=skew, key_lookup=key_lookup, status=status
        )
        for e in entries
    )
    return VerificationResult(checks=checks.checks(), format="ldp_vp", document=doc, credentials=results)
