"""The verifier service (``jitsuin serve verifier``): VC-API verify endpoints, OpenID4VP 1.0
requests and responses, and the staff pages, as one FastAPI app from ``create_app``.

>>> token, digest = new_staff_token()   # give `token` to the staff once; keep only `digest`
>>> app = create_app(ServiceSettings(VerifierIdentity("https://verifier.example.jp"), staff_tokens=(digest,)),
...                  policy=policy, procedures=builtin_procedures(), store=RequestStore("requests.db"))

Creating requests (``POST /requests``) and the staff pages (``/staff``) need a staff token
(``verifier.service.auth``); the wallet's and the VC-API endpoints are public.
"""

from .app import create_app
from .auth import StaffAuth, new_staff_token
from .settings import ServiceSettings, VerifierContext, utc_now

__all__ = ["ServiceSettings", "StaffAuth", "VerifierContext", "create_app", "new_staff_token", "utc_now"]
