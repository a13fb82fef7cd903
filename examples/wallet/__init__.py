"""The sample wallet app: a small, phone-sized web app for the resident (Japanese, with English).

Pages: my credentials, one credential, receive (OpenID4VCI offer + PIN), a presentation request
(OpenID4VP: who asks, why, exactly what would be disclosed; optional claims start off), history.
It imports ``vc`` only (and FastAPI/Jinja2); ``jitsuin serve wallet`` runs it.

>>> app = create_app("wallet.db", passphrase)
>>> uvicorn.run(app, host="127.0.0.1", port=8002)
"""

from .app import WalletContext, create_app

__all__ = ["WalletContext", "create_app"]
