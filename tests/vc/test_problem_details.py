"""Problem details for raised errors: status, type and body, shared by the issuer and verifier services."""

from __future__ import annotations

import pytest

from vc import errors as e
from vc.problem_details import (
    CRYPTO,
    INTERNAL,
    INTERNAL_DETAIL,
    MALFORMED,
    PARSING,
    RANGE,
    Problem,
    error_problem_body,
    http_reason,
    problem_body,
    problem_for,
    request_error_status,
)

VCDM = "https://www.w3.org/TR/vc-data-model#"


@pytest.mark.parametrize("error, problem", [
    (e.MalformedError("x"), PARSING),
    (e.DataModelError("x", code="INVALID_ISSUER"), MALFORMED),
    (e.InvalidSignatureError("x"), CRYPTO),
    (e.JoseError("x", code="ALG_NONE"), CRYPTO),
    (e.ExpiredError("x"), RANGE),
    (e.UsageError("x"), INTERNAL),
    (e.VcError("x"), INTERNAL),
])
def test_nearest_class_decides(error: e.VcError, problem: Problem) -> None:
    assert problem_for(error) == problem


def test_input_too_large_is_413_parsing() -> None:
    problem = problem_for(e.InputTooLargeError("x"))
    assert (problem.status, problem.type, problem.code) == (413, VCDM + "PARSING_ERROR", -64)


@pytest.mark.parametrize("error, status, suffix", [
    (e.RegistryError("x", code="REGISTRY_UNAVAILABLE"), 503, "REGISTRY_UNAVAILABLE"),
    (e.RegistryError("x", code="REGISTRY_CONFLICT"), 400, "REGISTRY_ERROR"),
    (e.WorkspaceError("x", code="KEY_NOT_FOUND"), 500, "INTERNAL"),
    (e.WorkspaceError("x", code="TYPE_NOT_ALLOWED"), 400, "WORKSPACE_ERROR"),
    (e.CredentialNotFoundError("x"), 404, "CREDENTIAL_NOT_FOUND"),
    (e.PresentationRequestError("x", code="REQUEST_EXPIRED"), 410, "REQUEST_EXPIRED"),
    (e.PresentationRequestError("x", code="INVALID_DCQL"), 400, "INVALID_DCQL"),
])
def test_codes_that_decide_apart_from_their_class(error: e.VcError, status: int, suffix: str) -> None:
    problem = problem_for(error)
    assert problem.status == status and problem.type.endswith("#" + suffix)


def test_request_flow_titles_are_the_status_reason() -> None:
    assert problem_for(e.PresentationRequestError("x", code="REQUEST_NOT_FOUND")).title == "Not Found"
    assert request_error_status("RESPONSE_REPLAYED") == 409 and request_error_status("ANYTHING_ELSE") == 400
    assert http_reason(418) == "I'm a Teapot" and http_reason(999) == "Error"


def test_a_caller_error_body_says_what_failed() -> None:
    body = error_problem_body(e.MalformedError("not JSON", line=3), instance="/credentials/issue")
    assert body == {"type": VCDM + "PARSING_ERROR", "title": "Parsing error", "status": 400, "code": -64,
                    "detail": "not JSON", "instance": "/credentials/issue", "errorCode": "MALFORMED",
                    "details": {"line": 3}}


def test_an_internal_failure_body_hides_its_message() -> None:
    body = error_problem_body(e.UsageError("secret path /etc/keys"))
    assert body["status"] == 500 and body["detail"] == INTERNAL_DETAIL and "secret" not in str(body)
    assert body["errorCode"] == "USAGE"


def test_problem_body_status_override_and_members() -> None:
    body = problem_body(Problem("about:blank", "Unauthorized"), status=401, detail="", extra=None, realm="x")
    assert body == {"type": "about:blank", "title": "Unauthorized", "status": 401, "realm": "x"}
