"""A private company's rental application form that asks a resident's wallet for two facts, "income of at least
3,000,000 yen" and "resident of Tokyo", using ``verifier`` as a library (``examples.rental_application.app``).

    python -m examples.rental_application      # a resident applies, start to finish, on this machine
"""

from .app import COMPANY, PURPOSE, Screening, create_app, rental_query, screen

__all__ = ["COMPANY", "PURPOSE", "Screening", "create_app", "rental_query", "screen"]
