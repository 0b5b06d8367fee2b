from typing import Any, Iterable

NORMALIZED_SQL_TYPE: str
VALIDATED_SQL_TYPE: str

def normalized_sql_type(fields: str | Iterable[str] | None = None) -> str: ...
def register(
    con: Any,
    normalize_name: str = "normalize_urls",
    validate_name: str = "validate_deals",
    *,
    fields: str | Iterable[str] | None = None,
) -> None: ...
