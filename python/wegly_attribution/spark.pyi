from typing import Any, Iterable, Optional

from pyspark.sql import DataFrame, SparkSession

def has_arrow_udf() -> bool: ...
def normalize_urls_udf(fields: str | Iterable[str] | None = None) -> Any: ...
def validate_deals_udf() -> Any: ...
def register(
    spark: SparkSession,
    normalize_name: str = "normalize_urls",
    validate_name: str = "validate_deals",
    *,
    fields: str | Iterable[str] | None = None,
) -> None: ...
def with_normalized_urls(
    df: DataFrame,
    column: str,
    into: str = "attribution",
    *,
    use_arrow_udf: Optional[bool] = None,
    fields: str | Iterable[str] | None = None,
) -> DataFrame: ...
def with_validated_deals(
    df: DataFrame, column: str, into: str = "validation", *, use_arrow_udf: Optional[bool] = None
) -> DataFrame: ...
