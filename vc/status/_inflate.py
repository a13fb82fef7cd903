"""Bounded decompression for status lists: a few KB of GZIP/ZLIB never become gigabytes in memory.

``zlib.decompressobj(...).decompress(data, max_length)`` stops producing output at ``max_length``
bytes, so a compression bomb costs at most ``max_output + 1`` bytes and the time to inflate them.
"""

from __future__ import annotations

import zlib

from vc.errors import StatusError

__all__ = ["GZIP", "ZLIB", "inflate_bounded"]

GZIP = 16 + zlib.MAX_WBITS  # RFC 1952 container only
ZLIB = zlib.MAX_WBITS  # RFC 1950 container only


def inflate_bounded(data: bytes, *, wbits: int, max_output: int, what: str) -> bytes:
    """Decompress one complete GZIP or ZLIB stream into at most ``max_output`` bytes.

    Raises ``StatusError`` ``STATUS_LIST_TOO_LARGE`` past the bound and ``STATUS_LIST_MALFORMED``
    for a corrupt, truncated or trailing-garbage stream. ``what`` names the value in messages.
    """
    container = "GZIP" if wbits == GZIP else "ZLIB"
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, max_output + 1)
    except zlib.error:
        raise StatusError(
            f"{what} is not valid {container} data; the publisher must compress the list with {container}",
            code="STATUS_LIST_MALFORMED",
        ) from None
    if len(out) > max_output:
        raise StatusError(
            f"{what} inflates to more than {max_output} bytes; refused as a possible compression bomb "
            "(raise max_bytes only for a trusted publisher of very large lists)",
            code="STATUS_LIST_TOO_LARGE",
            max_bytes=max_output,
        )
    if not inflater.eof:
        raise StatusError(f"{what} is a truncated {container} stream", code="STATUS_LIST_MALFORMED")
    if inflater.unused_data:
        raise StatusError(f"{what} has bytes after the end of its {container} stream", code="STATUS_LIST_MALFORMED")
    return out
