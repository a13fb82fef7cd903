"""N-Quads terms and reader (vc/canon/nquads.py): canonical escaping as RDFC-1.0 requires."""

from __future__ import annotations

import pytest

from vc.canon.nquads import XSD_STRING, escape_string, literal, parse_nquads, serialize_quad
from vc.errors import MalformedError


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain 日本語", "plain 日本語"),
        ('quote " backslash \\', 'quote \\" backslash \\\\'),
        ("\n\r\t\b\f", "\\n\\r\\t\\b\\f"),
        ("\x00\x01\x0b\x1f\x7f", "\\u0000\\u0001\\u000B\\u001F\\u007F"),
        ("\u0080\u2028\U0001f600", "\u0080\u2028\U0001f600"),  # only C0 controls and DEL are escaped
    ],
)
def test_escape_string(value: str, escaped: str) -> None:
    assert escape_string(value) == escaped


def test_literal_forms() -> None:
    assert literal("a") == '"a"'
    assert literal("a", XSD_STRING) == '"a"'
    assert literal("a", language="ja") == '"a"@ja'
    assert literal("1", "http://www.w3.org/2001/XMLSchema#integer") == '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'


def test_parse_unescapes_and_reserializes_canonically() -> None:
    text = (
        '<urn:ex:s> <urn:ex:p> "\\u0041\\U0001F600\\t\\\'" .\n'
        "# a comment\n"
        "\n"
        '_:b0 <urn:ex:\\u0070> "x"^^<http://www.w3.org/2001/XMLSchema#string> <urn:ex:g> .\n'
        '_:b0 <urn:ex:p> "y"@en-US _:g .\n'
        '<urn:ex:s> <urn:ex:p> "\\u0041\\U0001F600\\t\'" .\n'  # the same quad again: a dataset is a set
    )
    quads = parse_nquads(text)
    assert quads == [
        ("<urn:ex:s>", "<urn:ex:p>", '"A\U0001f600\\t\'"', ""),
        ("_:b0", "<urn:ex:p>", '"x"', "<urn:ex:g>"),
        ("_:b0", "<urn:ex:p>", '"y"@en-US', "_:g"),
    ]
    assert serialize_quad(quads[1]) == '_:b0 <urn:ex:p> "x" <urn:ex:g> .\n'


@pytest.mark.parametrize(
    "line",
    [
        '"literal" <urn:ex:p> <urn:ex:o> .',
        "<urn:ex:s> _:p <urn:ex:o> .",
        "<urn:ex:s> <urn:ex:p> <urn:ex:o>",
        '<urn:ex:s> <urn:ex:p> "unterminated .',
        "<urn:ex:s> <urn:ex:p> <urn:ex:o> <urn:ex:g> <urn:ex:extra> .",
    ],
)
def test_malformed_lines_are_refused(line: str) -> None:
    with pytest.raises(MalformedError):
        parse_nquads(line)
