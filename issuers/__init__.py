"""What an issuing institution runs: the certificate catalog, the workspace, the registry and batch issuance.

    >>> from issuers import Workspace
    >>> ws = Workspace.init(".jitsuin", name="Example City", did_web="city.example.jp")   # doctest: +SKIP
    >>> ws.issue("ResidentRecord", claims)                                                # doctest: +SKIP

The issuer service (FastAPI) is ``issuers.service`` and is imported only when used.
"""

from .batch import BatchReport, run_batch
from .catalog import Catalog, CertificateType, build_credential
from .registry import StatusRegistry, open_registry
from .workspace import IssuedCredential, Workspace

__all__ = [
    "BatchReport",
    "Catalog",
    "CertificateType",
    "IssuedCredential",
    "StatusRegistry",
    "Workspace",
    "build_credential",
    "open_registry",
    "run_batch",
]
