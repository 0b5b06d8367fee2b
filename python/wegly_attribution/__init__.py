"""Wegly CRM attribution rules over Arrow arrays, for Spark, Ray, Dask, DuckDB and Polars.

The two functions run the ``wegly-attribution`` Rust crate over a whole column at once and
return one struct row per input row, equal to the library call (and to the command-line tool)
on that row; a null row gives a null row:

- :func:`normalize_urls`: the attribution of conversion URLs (``Marketing::from_url``), typed
  :data:`NORMALIZED_TYPE`.
- :func:`validate_deals`: the validation of create-deal payloads (JSON text), typed
  :data:`VALIDATED_TYPE`.

Both take any Arrow string array (``string``, ``large_string``, ``string_view``) through the
Arrow PyCapsule interface: a ``pyarrow.Array`` or ``ChunkedArray``, a Polars ``Series``, a DuckDB
result's column, anything with ``__arrow_c_array__`` or ``__arrow_c_stream__``; a list or a pandas
``Series`` is read with ``pyarrow.array``. The work runs without the GIL.

>>> import pyarrow as pa
>>> from wegly_attribution import normalize_urls
>>> row = normalize_urls(pa.array(["https://x.com.br/lp?utm_source=google&gclid=AbC"]))[0]
>>> dict(row["marketing"].as_py())["wegly_source"]
'google'
>>> row["click_ids"].as_py()
[{'param': 'gclid', 'platform': 'google', 'value': 'AbC'}]
>>> row["channel"].as_py()
{'channel': 'organic_search', 'source': 'google', 'medium': None}

:mod:`wegly_attribution.spark` registers both as Spark functions.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import pyarrow as pa

from . import _native

__all__ = [
    "NORMALIZED_DDL",
    "NORMALIZED_FIELDS",
    "NORMALIZED_TYPE",
    "VALIDATED_DDL",
    "VALIDATED_TYPE",
    "normalize_urls",
    "normalized_ddl",
    "normalized_type",
    "validate_deals",
]

__version__: str = _native.__version__

_PROBLEM = pa.struct(
    [("path", pa.string()), ("code", pa.string()), ("message", pa.string())]
)

NORMALIZED_TYPE: pa.StructType = pa.struct(
    [
        ("marketing", pa.map_(pa.string(), pa.string())),
        (
            "click_ids",
            pa.list_(
                pa.struct(
                    [("param", pa.string()), ("platform", pa.string()), ("value", pa.string())]
                )
            ),
        ),
        ("channel", pa.struct([("channel", pa.string()), ("source", pa.string()), ("medium", pa.string())])),
        ("warnings", pa.list_(_PROBLEM)),
    ]
)
"""The type of :func:`normalize_urls`'s result.

``marketing``: the normalized ``marketing`` object (keys in ascending byte order);
``click_ids``: ``param`` (``gclid``...), ``platform`` (``google``...), ``value``;
``channel``: ``channel`` (GA4's default channel group as a snake_case code, ``paid_search``...),
``source`` and ``medium`` (lowercased, sent or inferred from a click id; null when none);
``warnings``: ``path`` (a JSON Pointer), ``code`` (stable, snake_case), ``message``.
"""

VALIDATED_TYPE: pa.StructType = pa.struct(
    [
        ("ok", pa.bool_()),
        ("request", pa.string()),
        ("channel", pa.struct([("channel", pa.string()), ("source", pa.string()), ("medium", pa.string())])),
        ("errors", pa.list_(_PROBLEM)),
        ("warnings", pa.list_(_PROBLEM)),
    ]
)
"""The type of :func:`validate_deals`'s result.

``ok``: whether the payload is valid; ``request``: the normalized request as JSON, exactly what
``wegly-attribution normalize`` writes (null when rejected); ``channel``: the request's channel,
the struct of :data:`NORMALIZED_TYPE` and the ``channel`` the CLI writes beside the request
(null when rejected); ``errors`` (empty when ``ok``) and
``warnings``: ``path`` (a JSON Pointer), ``code`` (stable, snake_case), ``message``.
"""

_PROBLEM_DDL = "STRUCT<path: STRING, code: STRING, message: STRING>"

_FIELD_DDL = {
    "marketing": "MAP<STRING, STRING>",
    "click_ids": "ARRAY<STRUCT<param: STRING, platform: STRING, value: STRING>>",
    "channel": "STRUCT<channel: STRING, source: STRING, medium: STRING>",
    "warnings": f"ARRAY<{_PROBLEM_DDL}>",
}

NORMALIZED_FIELDS: tuple[str, ...] = tuple(NORMALIZED_TYPE.names)
"""The fields of :data:`NORMALIZED_TYPE`, in order: what ``fields=`` may name."""


def _fields(fields: Any) -> tuple[str, ...]:
    if fields is None:
        return NORMALIZED_FIELDS
    if isinstance(fields, str):
        fields = (fields,)
    chosen = tuple(fields)
    unknown = [f for f in chosen if f not in NORMALIZED_FIELDS]
    if unknown or not chosen or len(set(chosen)) != len(chosen):
        raise ValueError(
            f"fields must name some of {', '.join(NORMALIZED_FIELDS)}, each once; found {list(chosen)}"
        )
    return chosen


def normalized_type(fields: Any = None) -> pa.StructType:
    """:data:`NORMALIZED_TYPE` with only ``fields`` (names of :data:`NORMALIZED_FIELDS`), in that order.

    >>> normalized_type(["channel"]).names
    ['channel']
    """
    return pa.struct([NORMALIZED_TYPE.field(name) for name in _fields(fields)])


def normalized_ddl(fields: Any = None) -> str:
    """:func:`normalized_type` as a Spark SQL type (DDL).

    >>> normalized_ddl("marketing")
    'STRUCT<marketing: MAP<STRING, STRING>>'
    """
    return "STRUCT<" + ", ".join(f"{name}: {_FIELD_DDL[name]}" for name in _fields(fields)) + ">"


NORMALIZED_DDL: str = normalized_ddl()
""":data:`NORMALIZED_TYPE` as a Spark SQL type (DDL), for a UDF's return type."""

VALIDATED_DDL: str = (
    "STRUCT<ok: BOOLEAN, request: STRING, "
    "channel: STRUCT<channel: STRING, source: STRING, medium: STRING>, "
    f"errors: ARRAY<{_PROBLEM_DDL}>, warnings: ARRAY<{_PROBLEM_DDL}>>"
)
""":data:`VALIDATED_TYPE` as a Spark SQL type (DDL), for a UDF's return type."""


def normalize_urls(urls: Any, fields: Any = None) -> pa.StructArray:
    """The attribution of each conversion URL, one :data:`NORMALIZED_TYPE` row per URL.

    Each row is ``Marketing::from_url(url)`` of the Rust crate: the ``marketing`` object the
    Wegly API records for a deal whose ``url_conversion`` is that URL, its click ids with their
    ad platform, its channel (``Marketing::channel``), and the repairs made (warnings). It equals ``wegly-attribution extract`` on
    that URL. A null URL gives a null row.

    :param urls: an Arrow string array (``string``, ``large_string`` or ``string_view``):
        anything with ``__arrow_c_array__`` or ``__arrow_c_stream__``, or what
        ``pyarrow.array`` reads (a list, a pandas ``Series``).
    :param fields: the fields to keep (names of :data:`NORMALIZED_FIELDS`, in the order
        wanted); all four when ``None``. The result is then typed ``normalized_type(fields)``.
        The values are the same. The kernel skips the fields left out (without
        ``click_ids``, ``channel`` and ``warnings`` it runs about 1.5 times as fast), and an
        engine that converts the result (Spark) converts less.
    :returns: a ``pyarrow.StructArray`` as long as ``urls``.
    :raises TypeError: when ``urls`` is not an array of strings.
    :raises ValueError: when one result column would exceed 2 GiB (split the batch), or when
        ``fields`` names a field :data:`NORMALIZED_FIELDS` has not.

    >>> row = normalize_urls(pa.array(["/lp?utm_source=newsletter&utm_medium=email"]), fields=["channel"])[0]
    >>> row.as_py()
    {'channel': {'channel': 'email', 'source': 'newsletter', 'medium': 'email'}}
    """
    chosen = list(_fields(fields))
    return _apply(
        functools.partial(_native.normalize_urls, fields=chosen), urls, normalized_type(chosen)
    )


def validate_deals(payloads: Any) -> pa.StructArray:
    """The validation of each create-deal payload (JSON text), one :data:`VALIDATED_TYPE` row each.

    Each row is ``CreateDealRequest::from_json(payload)`` of the Rust crate: ``ok``, the
    normalized ``request`` as JSON (what ``wegly-attribution normalize`` writes), every error
    with its JSON Pointer ``path`` and stable ``code``, and the warnings. A blank string is a
    payload like any other (``invalid_json``); a null payload gives a null row.

    :param payloads: an Arrow string array, as for :func:`normalize_urls`.
    :returns: a ``pyarrow.StructArray`` as long as ``payloads``.
    :raises TypeError: when ``payloads`` is not an array of strings.
    :raises ValueError: when one result column would exceed 2 GiB (split the batch).
    """
    return _apply(_native.validate_deals, payloads, VALIDATED_TYPE)


def _apply(kernel: Callable[[Any], Any], source: Any, result_type: pa.DataType) -> pa.StructArray:
    if hasattr(source, "__arrow_c_array__"):
        return pa.array(kernel(source))
    if hasattr(source, "__arrow_c_stream__"):
        chunks = pa.chunked_array(source).chunks
    else:
        try:
            chunks = [pa.array(source)]
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as err:
            raise TypeError(
                f"expected an Arrow string array, found {type(source).__name__}"
            ) from err
    results = [pa.array(kernel(chunk)) for chunk in chunks]
    if len(results) == 1:
        return results[0]
    if not results:
        return pa.array([], type=result_type)
    return pa.concat_arrays(results)
