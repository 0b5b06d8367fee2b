from typing import Any

NORMALIZED_SQL_TYPE: str
VALIDATED_SQL_TYPE: str

def register(
    con: Any, normalize_name: str = "normalize_urls", validate_name: str = "validate_deals"
) -> None: ...
