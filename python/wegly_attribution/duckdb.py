"""The kernels as DuckDB functions (Arrow UDFs: DuckDB hands them whole Arrow columns).

>>> import duckdb
>>> from wegly_attribution import duckdb as wegly
>>> con = duckdb.connect()
>>> wegly.register(con)
>>> con.sql("SELECT normalize_urls('?utm_source=google').marketing['wegly_source']").fetchall()
[('google',)]
"""

from __future__ import annotations

from typing import Any

from . import normalize_urls, validate_deals

__all__ = ["NORMALIZED_SQL_TYPE", "VALIDATED_SQL_TYPE", "register"]

_PROBLEM = "STRUCT(path VARCHAR, code VARCHAR, message VARCHAR)[]"

NORMALIZED_SQL_TYPE: str = (
    "STRUCT(marketing MAP(VARCHAR, VARCHAR), "
    "click_ids STRUCT(param VARCHAR, platform VARCHAR, value VARCHAR)[], "
    "channel STRUCT(channel VARCHAR, source VARCHAR, medium VARCHAR), "
    f"warnings {_PROBLEM})"
)
""":data:`~wegly_attribution.NORMALIZED_TYPE` as a DuckDB type."""

VALIDATED_SQL_TYPE: str = (
    f"STRUCT(ok BOOLEAN, request VARCHAR, errors {_PROBLEM}, warnings {_PROBLEM})"
)
""":data:`~wegly_attribution.VALIDATED_TYPE` as a DuckDB type."""


def register(
    con: Any, normalize_name: str = "normalize_urls", validate_name: str = "validate_deals"
) -> None:
    """Registers both kernels as SQL functions of the DuckDB connection ``con``.

    A null argument gives a null result, as in the kernels.
    """
    def normalize(urls: Any) -> Any:
        # DuckDB reads a function's arity from its signature: one argument, all fields.
        return normalize_urls(urls)

    for name, kernel, sql_type in (
        (normalize_name, normalize, NORMALIZED_SQL_TYPE),
        (validate_name, validate_deals, VALIDATED_SQL_TYPE),
    ):
        con.create_function(
            name,
            kernel,
            ["VARCHAR"],
            sql_type,
            type="arrow",
            null_handling="special",
        )
