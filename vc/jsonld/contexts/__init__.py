"""Bundled JSON-LD contexts (data only): ``manifest.json`` pins each URL to a file and its SHA-256.

See ``LICENSES.md`` here for where each file comes from and under which license it is redistributed.
"""
