"""Claims: extraction from text, the verdict catalogue, the reference ledger, checking."""

from aieco.claims.check import check, read_text
from aieco.claims.extract import extract

__all__ = ["check", "extract", "read_text"]
