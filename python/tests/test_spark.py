"""A local Spark session (local[2]) over Parquet: DataFrame API, SQL, and mapInArrow."""

from __future__ import annotations

import pytest

from conftest import canonical_deal, urls_equal
import wegly_attribution as w
from wegly_attribution import spark as wegly


def _by_id(rows, column: str) -> list:
    return [getattr(r, column) for r in sorted(rows, key=lambda r: r.id)]


@pytest.mark.parametrize("use_arrow_udf", [True, False], ids=["arrow_udf", "mapInArrow"])
def test_dataframe_api(spark, urls_parquet, deals_parquet, cli_extract, cli_normalize, use_arrow_udf) -> None:
    if use_arrow_udf and not wegly.has_arrow_udf():
        pytest.skip("this pyspark has no arrow_udf")
    leads = spark.read.parquet(str(urls_parquet)).repartition(2)
    out = wegly.with_normalized_urls(leads, "url", use_arrow_udf=use_arrow_udf)
    assert urls_equal(_by_id(out.collect(), "attribution"), cli_extract)

    deals = spark.read.parquet(str(deals_parquet)).repartition(2)
    out = wegly.with_validated_deals(deals, "payload", use_arrow_udf=use_arrow_udf)
    assert [canonical_deal(r) for r in _by_id(out.collect(), "validation")] == cli_normalize


def test_sql(spark, urls_parquet, deals_parquet, cli_extract, cli_normalize) -> None:
    if not wegly.has_arrow_udf():
        pytest.skip("this pyspark has no arrow_udf")
    wegly.register(spark)
    spark.read.parquet(str(urls_parquet)).createOrReplaceTempView("leads")
    spark.read.parquet(str(deals_parquet)).createOrReplaceTempView("deals")
    rows = spark.sql("SELECT id, normalize_urls(url) AS a FROM leads").collect()
    assert urls_equal(_by_id(rows, "a"), cli_extract)
    rows = spark.sql("SELECT id, validate_deals(payload) AS v FROM deals").collect()
    assert [canonical_deal(r) for r in _by_id(rows, "v")] == cli_normalize

    # The columns are plain Spark types: a map to index, arrays to explode.
    sources = spark.sql(
        "SELECT normalize_urls(url).marketing['wegly_source'] AS source, count(*) AS n "
        "FROM leads GROUP BY 1"
    ).collect()
    expected: dict = {}
    for row in cli_extract:
        source = row["marketing"].get("wegly_source")
        expected[source] = expected.get(source, 0) + 1
    assert {r.source: r.n for r in sources} == expected


def test_sql_with_chosen_fields(spark, urls_parquet, cli_extract) -> None:
    if not wegly.has_arrow_udf():
        pytest.skip("this pyspark has no arrow_udf")
    wegly.register(spark, "attribution", "check", fields=["marketing"])
    spark.read.parquet(str(urls_parquet)).createOrReplaceTempView("leads_only")
    rows = spark.sql("SELECT id, attribution(url) AS a FROM leads_only").collect()
    assert all(r.a.__fields__ == ["marketing"] for r in rows)
    assert [dict(r.marketing) for r in _by_id(rows, "a")] == [row["marketing"] for row in cli_extract]


@pytest.mark.parametrize("use_arrow_udf", [True, False], ids=["arrow_udf", "mapInArrow"])
def test_chosen_fields(spark, urls_parquet, cli_extract, use_arrow_udf) -> None:
    if use_arrow_udf and not wegly.has_arrow_udf():
        pytest.skip("this pyspark has no arrow_udf")
    leads = spark.read.parquet(str(urls_parquet)).repartition(2)
    out = wegly.with_normalized_urls(
        leads, "url", use_arrow_udf=use_arrow_udf, fields=["channel", "marketing"]
    )
    assert out.schema["attribution"].dataType.fieldNames() == ["channel", "marketing"]
    rows = _by_id(out.collect(), "attribution")
    assert [r.channel.asDict() for r in rows] == [row["channel"] for row in cli_extract]
    assert [dict(r.marketing) for r in rows] == [row["marketing"] for row in cli_extract]


def test_the_ddl_strings_are_spark_types(spark) -> None:
    from pyspark.sql import types
    from pyspark.sql.pandas.types import to_arrow_type

    pairs = [(w.NORMALIZED_DDL, w.NORMALIZED_TYPE), (w.VALIDATED_DDL, w.VALIDATED_TYPE)]
    pairs += [(w.normalized_ddl(name), w.normalized_type(name)) for name in w.NORMALIZED_FIELDS]
    for ddl, arrow in pairs:
        spark_type = types.DataType.fromDDL(ddl)
        # Spark names list items `element`; the rest (names, nesting, leaf types) must agree.
        assert str(to_arrow_type(spark_type)).replace("element:", "item:") == str(arrow)
