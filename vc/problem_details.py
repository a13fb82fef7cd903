"""Failures as RFC 9457 problem details, without a web framework: which problem a ``VcError`` is
answered with (HTTP status, ``type`` URI, ``title``, specification ``code``) and the JSON body.
The issuer and verifier services wrap these bodies in their own framework's responses.

Types: the VC Data Model 2.0 ones (section 7.1: ``PARSING_ERROR`` -64, ``CRYPTOGRAPHIC_SECURITY_ERROR``
-65, ``MALFORMED_VALUE_ERROR`` -66, ``RANGE_ERROR`` -67) and the Data Integrity ones
(``INVALID_DOMAIN_ERROR`` -19, ``INVALID_CHALLENGE_ERROR`` -20); failures that are not about a
credential document (registry, workspace, an OpenID4VP request's flow) get a jitsuin type URI. The
stable jitsuin code travels as the extension member ``errorCode``.

>>> from vc.errors import MalformedError
>>> body = error_problem_body(MalformedError("the body is not JSON"), instance="/credentials/verify")
>>> body["status"], body["code"], body["errorCode"]
(400, -64, 'MALFORMED')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from types import MappingProxyType
from typing import Any

from vc import errors as e

__all__ = [
    "CRYPTO",
    "DI_ERRORS",
    "ERROR_PROBLEMS",
    "INTERNAL",
    "INTERNAL_DETAIL",
    "INVALID_CHALLENGE",
    "INVALID_DOMAIN",
    "JITSUIN_ERRORS",
    "MALFORMED",
    "PARSING",
    "PROBLEM_MEDIA_TYPE",
    "Problem",
    "RANGE",
    "error_problem_body",
    "http_reason",
    "problem_body",
    "problem_for",
    "request_error_status",
]

VCDM_ERRORS = "https://www.w3.org/TR/vc-data-model#"
DI_ERRORS = "https://w3id.org/security#"
JITSUIN_ERRORS = "https://w3id.org/jitsuin/errors#"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# what an internal failure says: its message may name internals, so the service log keeps it instead
INTERNAL_DETAIL = "the service could not complete the request; see the service log"


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem ``type`` URI, its ``title``, the specification's integer ``code`` (if any) and the
    HTTP ``status`` it is answered with."""

    type: str
    title: str
    code: int | None = None
    status: int = 400


PARSING = Problem(VCDM_ERRORS + "PARSING_ERROR", "Parsing error", -64)
CRYPTO = Problem(VCDM_ERRORS + "CRYPTOGRAPHIC_SECURITY_ERROR", "Cryptographic security error", -65)
MALFORMED = Problem(VCDM_ERRORS + "MALFORMED_VALUE_ERROR", "Malformed value error", -66)
RANGE = Problem(VCDM_ERRORS + "RANGE_ERROR", "Range error", -67)
INVALID_DOMAIN = Problem(DI_ERRORS + "INVALID_DOMAIN_ERROR", "Invalid domain", -19)
INVALID_CHALLENGE = Problem(DI_ERRORS + "INVALID_CHALLENGE_ERROR", "Invalid challenge", -20)
INTERNAL = Problem(JITSUIN_ERRORS + "INTERNAL", "Internal error", status=500)
_KEY_LOCKED = Problem(JITSUIN_ERRORS + "KEY_LOCKED", "Signing key unavailable", status=503)

# nearest class wins (the MRO is walked), so subclasses can be answered differently from their family
ERROR_PROBLEMS: Mapping[type[e.VcError], Problem] = MappingProxyType({
    e.VcError: INTERNAL,
    e.InputError: MALFORMED,
    e.MalformedError: PARSING,
    e.InputTooLargeError: Problem(VCDM_ERRORS + "PARSING_ERROR", "Input too large", -64, status=413),
    e.ContextIntegrityError: INTERNAL,
    e.CanonicalizationLimitError: RANGE,
    e.KeyMaterialError: CRYPTO,
    e.PassphraseRequiredError: _KEY_LOCKED,
    e.WrongPassphraseError: _KEY_LOCKED,
    e.DidError: MALFORMED,
    e.ProofError: CRYPTO,
    e.JoseError: CRYPTO,
    e.ValidityError: RANGE,
    e.StatusError: MALFORMED,
    e.RegistryError: Problem(JITSUIN_ERRORS + "REGISTRY_ERROR", "Registry refused the change"),
    e.CredentialNotFoundError: Problem(JITSUIN_ERRORS + "CREDENTIAL_NOT_FOUND", "Credential not found", status=404),
    e.StatusTransitionError: Problem(JITSUIN_ERRORS + "STATUS_TRANSITION_NOT_ALLOWED", "Status change not allowed",
                                     status=409),
    e.WorkspaceError: Problem(JITSUIN_ERRORS + "WORKSPACE_ERROR", "Workspace refused the request"),
    e.UsageError: INTERNAL,
})

_REGISTRY_UNAVAILABLE = Problem(JITSUIN_ERRORS + "REGISTRY_UNAVAILABLE", "Registry unavailable", status=503)
# codes answered apart from the rest of their class: the server's trouble, not the caller's
_BY_CODE: Mapping[tuple[type[e.VcError], str], Problem] = MappingProxyType({
    **{(e.RegistryError, code): _REGISTRY_UNAVAILABLE
       for code in ("REGISTRY_UNAVAILABLE", "REGISTRY_SCHEMA_TOO_NEW", "REGISTRY_SCHEMA", "REGISTRY_LIST_FULL")},
    # the service itself is misconfigured
    **{(e.WorkspaceError, code): INTERNAL for code in ("WORKSPACE_NOT_FOUND", "WORKSPACE_CONFIG_INVALID",
                                                       "KEY_NOT_FOUND")},
})

# OpenID4VP request-flow codes and the HTTP status each answers with (400 unless listed)
_REQUEST_STATUS: Mapping[str, int] = MappingProxyType({
    "REQUEST_NOT_FOUND": 404,
    "REQUEST_EXPIRED": 410,
    "REQUEST_URI_ALREADY_FETCHED": 409,
    "RESPONSE_REPLAYED": 409,
    "RESULT_TOKEN_INVALID": 403,
    "PROCEDURE_NOT_FOUND": 404,
})


def request_error_status(code: str) -> int:
    """The HTTP status for a ``PresentationRequestError`` code (400 unless listed)."""
    return _REQUEST_STATUS.get(code, 400)


def http_reason(status: int) -> str:
    """The reason phrase of an HTTP status (``404`` -> ``Not Found``); ``Error`` for an unknown one."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_for(error: e.VcError) -> Problem:
    """The problem an error is answered with: by its code where the code decides, else the entry of
    its nearest class in :data:`ERROR_PROBLEMS`."""
    classes = type(error).__mro__
    for cls in classes:
        special = _BY_CODE.get((cls, error.code))  # type: ignore[arg-type]
        if special is not None:
            return special
    if isinstance(error, e.PresentationRequestError):
        status = request_error_status(error.code)
        return Problem(JITSUIN_ERRORS + error.code, http_reason(status), status=status)
    for cls in classes:
        problem = ERROR_PROBLEMS.get(cls)  # type: ignore[arg-type]
        if problem is not None:
            return problem
    return INTERNAL


def problem_body(problem: Problem, *, status: int | None = None, detail: str | None = None,
                 instance: str | None = None, **members: Any) -> dict[str, Any]:
    """An ``application/problem+json`` body (RFC 9457) for ``problem`` (``status`` overrides its own);
    ``members`` are extension members, left out when None."""
    body: dict[str, Any] = {"type": problem.type, "title": problem.title,
                            "status": problem.status if status is None else status}
    if problem.code is not None:
        body["code"] = problem.code
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in members.items() if v is not None})
    return body


def error_problem_body(error: e.VcError, *, instance: str | None = None) -> dict[str, Any]:
    """The problem details body a ``VcError`` is answered with; an internal failure (status 500 and
    above) says only :data:`INTERNAL_DETAIL`, never its message (the caller logs that)."""
    problem = problem_for(error)
    if problem.status >= 500:
        return problem_body(problem, detail=INTERNAL_DETAIL, instance=instance, errorCode=error.code)
    details = error.to_dict().get("detail")
    return problem_body(problem, detail=error.message, instance=instance, errorCode=error.code,
                        details=details or None)
