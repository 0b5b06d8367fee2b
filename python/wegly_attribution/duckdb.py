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

from . import _fields, normalize_urls, validate_deals

__all__ = ["NORMALIZED_SQL_TYPE", "VALIDATED_SQL_TYPE", "normalized_sql_type", "register"]

_PROBLEM = "STRUCT(path VARCHAR, code VARCHAR, message VARCHAR)[]"

_FIELD_SQL = {
    "marketing": "MAP(VARCHAR, VARCHAR)",
    "click_ids": "STRUCT(param VARCHAR, platform VARCHAR, value VARCHAR)[]",
    "channel": "STRUCT(channel VARCHAR, source VARCHAR, medium VARCHAR)",
    "warnings": _PROBLEM,
}


def normalized_sql_type(fields: Any = None) -> str:
    """:func:`~wegly_attribution.normalized_type` as a DuckDB type.

    >>> normalized_sql_type(["channel"])
    'STRUCT(channel STRUCT(channel VARCHAR, source VARCHAR, medium VARCHAR))'
    """
    return "STRUCT(" + ", ".join(f"{name} {_FIELD_SQL[name]}" for name in _fields(fields)) + ")"


NORMALIZED_SQL_TYPE: str = normalized_sql_type()
""":data:`~wegly_attribution.NORMALIZED_TYPE` as a DuckDB type."""

VALIDATED_SQL_TYPE: str = (
    f"STRUCT(ok BOOLEAN, request VARCHAR, channel {_FIELD_SQL['channel']}, "
    f"errors {_PROBLEM}, warnings {_PROBLEM})"
)
""":data:`~wegly_attribution.VALIDATED_TYPE` as a DuckDB type."""


def register(
    con: Any,
    normalize_name: str = "normalize_urls",
    validate_name: str = "validate_deals",
    *,
    fields: Any = None,
) -> None:
    """Registers both kernels as SQL functions of the DuckDB connection ``con``.

    A null argument gives a null result, as in the kernels.

    :param fields: the fields ``normalize_name`` returns (names of
        :data:`~wegly_attribution.NORMALIZED_FIELDS`, in that order); all four by default.
        The kernel computes only those.
    :raises ValueError: when ``fields`` names an unknown field.
    """
    chosen = list(_fields(fields))

    def normalize(urls: Any) -> Any:
        # DuckDB reads a function's arity from its signature: one argument.
        return normalize_urls(urls, fields=chosen)

    for name, kernel, sql_type in (
        (normalize_name, normalize, normalized_sql_type(chosen)),
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
