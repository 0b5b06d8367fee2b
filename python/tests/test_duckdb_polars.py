"""In-process engines: DuckDB (Arrow UDFs in SQL) and Polars (map_batches), over Parquet."""

from __future__ import annotations

import pytest

import wegly_attribution as w
from conftest import canonical_deal, urls_equal, need


def test_duckdb_sql(urls_parquet, deals_parquet, cli_extract, cli_normalize) -> None:
    duckdb = need("duckdb")
    from wegly_attribution import duckdb as wegly

    con = duckdb.connect()
    try:
        wegly.register(con)
        rows = con.sql(
            f"SELECT normalize_urls(url) FROM read_parquet('{urls_parquet}') ORDER BY id"
        ).fetchall()
        assert urls_equal([r[0] for r in rows], cli_extract)
        rows = con.sql(
            f"SELECT validate_deals(payload) FROM read_parquet('{deals_parquet}') ORDER BY id"
        ).fetchall()
        assert [canonical_deal(r[0]) for r in rows] == cli_normalize
        assert con.sql("SELECT normalize_urls(NULL::VARCHAR)").fetchall() == [(None,)]
    finally:
        con.close()


def test_duckdb_chosen_fields(urls_parquet, cli_extract) -> None:
    duckdb = need("duckdb")
    from wegly_attribution import duckdb as wegly

    con = duckdb.connect()
    try:
        # Each SQL type is the type DuckDB gives the pyarrow type of the same fields.
        import pyarrow as pa

        choices = [None, *w.NORMALIZED_FIELDS, ["warnings", "marketing"]]
        for fields in choices:
            empty = pa.table({"a": pa.array([], w.normalized_type(fields))})
            from_arrow = con.from_arrow(empty).types[0]
            from_sql = con.sql(f"SELECT NULL::{wegly.normalized_sql_type(fields)} AS a").types[0]
            assert str(from_sql) == str(from_arrow), fields
        assert wegly.NORMALIZED_SQL_TYPE == wegly.normalized_sql_type(w.NORMALIZED_FIELDS)
        wegly.register(con, "attribution", "check", fields=["channel", "marketing"])
        rows = con.sql(
            f"SELECT attribution(url) AS a FROM read_parquet('{urls_parquet}') ORDER BY id"
        ).fetchall()
        assert [list(r[0]) for r in rows] == [["channel", "marketing"]] * len(cli_extract)
        assert [r[0]["channel"] for r in rows] == [row["channel"] for row in cli_extract]
        assert [r[0]["marketing"] for r in rows] == [row["marketing"] for row in cli_extract]
        with pytest.raises(ValueError, match="fields must name"):
            wegly.register(con, fields=["channel", "channel"])
    finally:
        con.close()


def test_polars(urls_parquet, deals_parquet, cli_extract, cli_normalize) -> None:
    pl = need("polars")
    import pyarrow as pa

    normalized = pl.from_arrow(pa.array([], w.NORMALIZED_TYPE)).dtype
    validated = pl.from_arrow(pa.array([], w.VALIDATED_TYPE)).dtype
    out = (
        pl.scan_parquet(urls_parquet)
        .with_columns(
            a=pl.col("url").map_batches(
                lambda s: pl.Series(w.normalize_urls(s)), return_dtype=normalized
            )
        )
        .sort("id")
        .collect()
    )
    assert urls_equal(out["a"].to_arrow().to_pylist(), cli_extract)
    out = (
        pl.scan_parquet(deals_parquet)
        .with_columns(
            v=pl.col("payload").map_batches(
                lambda s: pl.Series(w.validate_deals(s)), return_dtype=validated
            )
        )
        .sort("id")
        .collect()
    )
    assert [canonical_deal(r) for r in out["v"].to_list()] == cli_normalize
