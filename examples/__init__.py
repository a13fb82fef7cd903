"""Sample applications built on jitsuin (``examples.wallet``: the resident's wallet)."""
