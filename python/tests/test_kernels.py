"""The package itself: types, inputs, nulls, errors, and equality with the CLI through pyarrow."""

from __future__ import annotations

import pyarrow as pa
import pytest

import wegly_attribution as w
from conftest import canonical_deal, urls_equal


def test_result_types_are_the_declared_constants() -> None:
    for string in (pa.string(), pa.large_string(), pa.string_view()):
        assert w.normalize_urls(pa.array(["?gclid=1"], string)).type == w.NORMALIZED_TYPE
        assert w.validate_deals(pa.array(["{}"], string)).type == w.VALIDATED_TYPE
    assert w.normalize_urls(pa.array([], pa.string())).type == w.NORMALIZED_TYPE


def test_nulls_give_null_rows_and_blank_is_invalid_json() -> None:
    rows = w.validate_deals(pa.array(["", None, "  "])).to_pylist()
    assert rows[1] is None
    for row in (rows[0], rows[2]):
        assert row["ok"] is False and row["request"] is None
        assert [(e["path"], e["code"]) for e in row["errors"]] == [("", "invalid_json")]
    assert w.normalize_urls(pa.array([None], pa.string())).to_pylist() == [None]


def test_inputs_through_the_capsule_interface() -> None:
    chunked = pa.chunked_array([["?gclid=1"], [], ["?fbclid=2", None]])
    rows = w.normalize_urls(chunked)
    assert isinstance(rows, pa.StructArray) and len(rows) == 3
    assert rows[1]["click_ids"].as_py()[0]["platform"] == "meta"
    assert w.normalize_urls(pa.chunked_array([], pa.string())).type == w.NORMALIZED_TYPE
    assert w.normalize_urls(["?gclid=1", None]).to_pylist()[1] is None
    sliced = pa.array(["?gclid=A", None, "?gclid=C"]).slice(1)
    assert w.normalize_urls(sliced)[1]["click_ids"].as_py()[0]["value"] == "C"


def test_other_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="found Int64"):
        w.normalize_urls(pa.array([1, 2]))
    with pytest.raises(TypeError, match="found Binary"):
        w.validate_deals(pa.array([b"{}"]))
    with pytest.raises(TypeError):
        w.normalize_urls(object())


def test_pyarrow_rows_equal_the_cli(urls, deals, cli_extract, cli_normalize) -> None:
    assert urls_equal(w.normalize_urls(pa.array(urls)).to_pylist(), cli_extract)
    got = [canonical_deal(r) for r in w.validate_deals(pa.array(deals)).to_pylist()]
    assert got == cli_normalize



def test_fields_keep_the_chosen_children_and_the_nulls() -> None:
    urls = pa.array(["?utm_source=google&gclid=G", None, "?fbclid=F&utm_campaign=promo"])
    full = w.normalize_urls(urls)
    for fields in (["channel"], ["warnings", "marketing"], "click_ids", w.NORMALIZED_FIELDS):
        chosen = [fields] if isinstance(fields, str) else list(fields)
        rows = w.normalize_urls(urls, fields=fields)
        assert rows.type == w.normalized_type(fields)
        assert rows.type.names == chosen
        assert rows.to_pylist() == [
            None if row is None else {name: row[name] for name in chosen} for row in full.to_pylist()
        ]
    for wrong in ([], ["marketing", "marketing"], ["url"], "Channel"):
        with pytest.raises(ValueError, match="fields must name"):
            w.normalize_urls(urls, fields=wrong)


def test_field_ddl_is_the_full_ddl_in_part() -> None:
    assert w.normalized_ddl() == w.NORMALIZED_DDL
    assert w.normalized_type() == w.NORMALIZED_TYPE
    parts = [w.normalized_ddl(name)[len("STRUCT<"):-1] for name in w.NORMALIZED_FIELDS]
    assert "STRUCT<" + ", ".join(parts) + ">" == w.NORMALIZED_DDL


def test_docstring_examples() -> None:
    import doctest
    import importlib

    modules = [w]
    if importlib.util.find_spec("duckdb"):
        modules.append(importlib.import_module("wegly_attribution.duckdb"))
    for module in modules:
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module.__name__
