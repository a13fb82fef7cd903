"""Procedures: declarative files saying what a municipal (or school, bank, employer) procedure asks for, why,
and how the verified claims fill its form.

Shipped (``builtin/``): ``birth-registration`` 出生届, ``daycare-certification`` 保育認定申請,
``school-transfer`` 転校, ``job-change`` 転職.

>>> procedure = builtin_procedure("school-transfer")
>>> request_query = procedure.dcql_query()                 # for the OpenID4VP request
>>> result = verifier.verify_presentation(vp_token, policy=policy, procedure=procedure, nonce=n, audience=aud)
>>> print(procedure.fill_form(result).render_table())
"""

from __future__ import annotations

from pathlib import Path

from vc.errors import PolicyError

from .dcql import VC_TYPE_IRI, dcql_query
from .form import DISPLAYS, FORM_LANGUAGES, FieldOrigin, FilledField, FilledForm, fill_form
from .matching import Candidate, assign_requirements, missing_requirements
from .model import DCQL_FORMATS, SUBJECT_MODES, CredentialSet, FieldSource, FormField, Procedure, Requirement

__all__ = [
    "BUILTIN_DIR",
    "Candidate",
    "CredentialSet",
    "DCQL_FORMATS",
    "DISPLAYS",
    "FORM_LANGUAGES",
    "FieldOrigin",
    "FieldSource",
    "FilledField",
    "FilledForm",
    "FormField",
    "Procedure",
    "Requirement",
    "SUBJECT_MODES",
    "VC_TYPE_IRI",
    "assign_requirements",
    "builtin_procedure",
    "builtin_procedures",
    "dcql_query",
    "fill_form",
    "load_procedure",
    "missing_requirements",
]

BUILTIN_DIR = Path(__file__).parent / "builtin"


def builtin_procedures() -> dict[str, Procedure]:
    """Every shipped procedure, by id."""
    out = {}
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        procedure = Procedure.load(path)
        out[procedure.id] = procedure
    return out


def builtin_procedure(procedure_id: str) -> Procedure:
    """A shipped procedure by id; PolicyError PROCEDURE_NOT_FOUND naming the ones there are."""
    path = BUILTIN_DIR / f"{procedure_id}.yaml"
    if not path.is_file():
        names = ", ".join(p.stem for p in sorted(BUILTIN_DIR.glob("*.yaml")))
        raise PolicyError(f"no shipped procedure {procedure_id!r}; there are: {names}", code="PROCEDURE_NOT_FOUND")
    return Procedure.load(path)


def load_procedure(name_or_path: str | Path) -> Procedure:
    """A procedure file by path, or a shipped procedure by id."""
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.is_file():
        return Procedure.load(path)
    return builtin_procedure(str(name_or_path))
