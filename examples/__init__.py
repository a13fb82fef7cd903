"""Sample applications built on jitsuin.

- ``examples.world``: a town on this machine (issuer services, a verifier service, a wallet) for the demo and the
  examples; ``examples.family``: the Yamada family's certificates as catalog claims.
- One script per procedure: ``birth_registration``, ``daycare``, ``school_transfer``, ``job_change``
  (``python -m examples.daycare``).
- ``examples.rental_application``: a private company's web form using ``verifier`` as a library.
- ``examples.wallet``: the resident's wallet app (``jitsuin serve wallet``).
- ``examples/types/``: a certificate type of one's own, as a file (``jitsuin types add``).
"""
