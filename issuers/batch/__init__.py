"""Batch issuance: a credential for every row of a CSV or JSON Lines file, validated first, signed on all
cores, written atomically, resumable after an interruption.

>>> report = run_batch(Workspace.open(), "TaxPaymentCertificate", "residents.csv", out_jsonl="out.jsonl",
...                    key_column="recordNo")
"""

from .output import BatchOutput, DirectoryOutput, JsonlOutput, OutputItem, credential_file_name
from .rows import Row, RowProblem, read_rows, source_format
from .runner import DEFAULT_KEY_COLUMN, BatchProgress, BatchReport, RowFailure, run_batch, validate_rows

__all__ = [
    "DEFAULT_KEY_COLUMN",
    "BatchOutput",
    "BatchProgress",
    "BatchReport",
    "DirectoryOutput",
    "JsonlOutput",
    "OutputItem",
    "Row",
    "RowFailure",
    "RowProblem",
    "credential_file_name",
    "read_rows",
    "run_batch",
    "source_format",
    "validate_rows",
]
