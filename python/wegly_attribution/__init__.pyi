from typing import Any, Iterable

import pyarrow as pa

__version__: str
NORMALIZED_TYPE: pa.StructType
VALIDATED_TYPE: pa.StructType
NORMALIZED_DDL: str
VALIDATED_DDL: str
NORMALIZED_FIELDS: tuple[str, ...]

def normalized_type(fields: str | Iterable[str] | None = None) -> pa.StructType:
    """``NORMALIZED_TYPE`` with only ``fields``, in that order."""

def normalized_ddl(fields: str | Iterable[str] | None = None) -> str:
    """``normalized_type(fields)`` as a Spark SQL type (DDL)."""

def normalize_urls(urls: Any, fields: str | Iterable[str] | None = None) -> pa.StructArray:
    """The attribution of each conversion URL, one ``NORMALIZED_TYPE`` row per URL."""

def validate_deals(payloads: Any) -> pa.StructArray:
    """The validation of each create-deal payload, one ``VALIDATED_TYPE`` row per payload."""
