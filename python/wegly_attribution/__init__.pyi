from typing import Any

import pyarrow as pa

__version__: str
NORMALIZED_TYPE: pa.StructType
VALIDATED_TYPE: pa.StructType
NORMALIZED_DDL: str
VALIDATED_DDL: str

def normalize_urls(urls: Any) -> pa.StructArray:
    """The attribution of each conversion URL, one ``NORMALIZED_TYPE`` row per URL."""

def validate_deals(payloads: Any) -> pa.StructArray:
    """The validation of each create-deal payload, one ``VALIDATED_TYPE`` row per payload."""
