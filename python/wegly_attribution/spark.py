"""The kernels as Spark functions: Arrow UDFs where Spark has them, ``mapInArrow`` otherwise.

Spark 4.1 and later (``pyspark.sql.functions.arrow_udf``) hand a Python function whole
``pyarrow`` arrays, which is all :func:`~wegly_attribution.normalize_urls` needs::

    from pyspark.sql import SparkSession
    from wegly_attribution import spark as wegly

    spark = SparkSession.builder.getOrCreate()
    wegly.register(spark)                      # SQL: normalize_urls(url), validate_deals(json)
    leads = spark.read.parquet("leads.parquet")
    leads.select("id", wegly.normalize_urls_udf()("url").alias("attribution"))

On older Spark (3.3 to 4.0), :func:`with_normalized_urls` and :func:`with_validated_deals` run
the same kernels through ``DataFrame.mapInArrow`` and add the result as a column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

import pyarrow as pa

import functools

from . import VALIDATED_DDL, normalize_urls, normalized_ddl, validate_deals

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "has_arrow_udf",
    "normalize_urls_udf",
    "register",
    "validate_deals_udf",
    "with_normalized_urls",
    "with_validated_deals",
]


def has_arrow_udf() -> bool:
    """Whether this PySpark has ``pyspark.sql.functions.arrow_udf`` (Spark 4.1 and later)."""
    try:
        from pyspark.sql.functions import arrow_udf  # noqa: F401
    except ImportError:
        return False
    return True


def _arrow_udf(kernel: Callable[[Any], pa.StructArray], ddl: str, name: str) -> Any:
    if not has_arrow_udf():
        import pyspark

        raise RuntimeError(
            f"pyspark {pyspark.__version__} has no arrow_udf (Spark 4.1 and later): use "
            "wegly_attribution.spark.with_normalized_urls / with_validated_deals, which run "
            "through DataFrame.mapInArrow"
        )
    from pyspark.sql.functions import arrow_udf

    def column(values: pa.Array) -> pa.Array:
        return kernel(values)

    # Resolved here, not left as strings: Spark infers the UDF's kind from these hints.
    column.__annotations__ = {"values": pa.Array, "return": pa.Array}

    column.__name__ = name
    column.__doc__ = getattr(kernel, "func", kernel).__doc__
    return arrow_udf(column, ddl)


def normalize_urls_udf(fields: Any = None) -> Any:
    """:func:`~wegly_attribution.normalize_urls` as a Spark Arrow UDF (Spark 4.1 and later).

    ``normalize_urls_udf()(col)`` is a column of type
    :data:`~wegly_attribution.NORMALIZED_DDL`.

    :param fields: the fields to keep, as for :func:`~wegly_attribution.normalize_urls`; the
        column is then of type ``normalized_ddl(fields)``. Spark converts every field a UDF
        returns, used or not, and the kernel builds only the fields asked for: a job that
        reads only ``marketing`` ran 1.3-1.9 times as fast with ``fields=["marketing"]`` in
        the project's benchmark (``benches/REPORT.md``).
    :raises RuntimeError: on a Spark without ``arrow_udf``.
    :raises ValueError: when ``fields`` names an unknown field.
    """
    return _arrow_udf(
        functools.partial(normalize_urls, fields=fields), normalized_ddl(fields), "normalize_urls"
    )


def validate_deals_udf() -> Any:
    """:func:`~wegly_attribution.validate_deals` as a Spark Arrow UDF (Spark 4.1 and later).

    ``validate_deals_udf()(col)`` is a column of type :data:`~wegly_attribution.VALIDATED_DDL`.

    :raises RuntimeError: on a Spark without ``arrow_udf``.
    """
    return _arrow_udf(validate_deals, VALIDATED_DDL, "validate_deals")


def register(
    spark: "SparkSession",
    normalize_name: str = "normalize_urls",
    validate_name: str = "validate_deals",
    *,
    fields: Any = None,
) -> None:
    """Registers both kernels as SQL functions of ``spark`` (Spark 4.1 and later).

    Afterwards ``SELECT normalize_urls(url).marketing['wegly_source'] FROM leads`` and
    ``SELECT validate_deals(payload).ok FROM deals`` work in Spark SQL.

    :param fields: the fields ``normalize_name`` returns, as for :func:`normalize_urls_udf`;
        all four by default. Queries that read only ``marketing`` run faster on a function
        registered with ``fields=["marketing"]``.
    :raises RuntimeError: on a Spark without ``arrow_udf``; use :func:`with_normalized_urls`.
    :raises ValueError: when ``fields`` names an unknown field.
    """
    spark.udf.register(normalize_name, normalize_urls_udf(fields))
    spark.udf.register(validate_name, validate_deals_udf())


def with_normalized_urls(
    df: "DataFrame",
    column: str,
    into: str = "attribution",
    *,
    use_arrow_udf: Optional[bool] = None,
    fields: Any = None,
) -> "DataFrame":
    """``df`` with a column ``into``: :func:`~wegly_attribution.normalize_urls` of ``column``.

    :param use_arrow_udf: ``None`` (the default) uses an Arrow UDF where Spark has one and
        ``mapInArrow`` otherwise; ``True`` or ``False`` forces one way.
    :param fields: the fields to keep, as for :func:`normalize_urls_udf`.
    """
    return _with(
        df,
        column,
        into,
        functools.partial(normalize_urls, fields=fields),
        normalized_ddl(fields),
        lambda: normalize_urls_udf(fields),
        use_arrow_udf,
    )


def with_validated_deals(
    df: "DataFrame", column: str, into: str = "validation", *, use_arrow_udf: Optional[bool] = None
) -> "DataFrame":
    """``df`` with a column ``into``: :func:`~wegly_attribution.validate_deals` of ``column``.

    :param use_arrow_udf: as for :func:`with_normalized_urls`.
    """
    return _with(df, column, into, validate_deals, VALIDATED_DDL, validate_deals_udf, use_arrow_udf)


def _with(
    df: "DataFrame",
    column: str,
    into: str,
    kernel: Callable[[Any], pa.StructArray],
    ddl: str,
    udf: Callable[[], Any],
    use_arrow_udf: Optional[bool],
) -> "DataFrame":
    if use_arrow_udf is None:
        use_arrow_udf = has_arrow_udf()
    if use_arrow_udf:
        return df.withColumn(into, udf()(df[column]))

    from pyspark.sql.types import StructField, StructType, _parse_datatype_string

    if into in df.columns:
        df = df.drop(into)
    schema = StructType(df.schema.fields + [StructField(into, _parse_datatype_string(ddl), True)])

    def batches(source: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in source:
            result = kernel(batch.column(column))
            yield pa.RecordBatch.from_arrays(
                list(batch.columns) + [result], names=list(batch.schema.names) + [into]
            )

    return df.mapInArrow(batches, schema)
