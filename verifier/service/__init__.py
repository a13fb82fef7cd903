"""The verifier service (``jitsuin serve verifier``): VC-API verify endpoints, OpenID4VP 1.0
requests and responses, and the staff pages, as one FastAPI app from ``create_app``.

>>> app = create_app(ServiceSettings(VerifierIdentity("https://verifier.example.jp")), policy=policy,
...                  procedures=builtin_procedures(), store=RequestStore("requests.db"))
"""

from .app import create_app
from .settings import ServiceSettings, VerifierContext, utc_now

__all__ = ["ServiceSettings", "VerifierContext", "create_app", "utc_now"]
