"""``python -m issuers.catalog [--check]``: regenerate the bundled context files from the builtin types."""

from .context import main

raise SystemExit(main())
