"""Distributed engines: Ray Data (map_batches) and a Dask LocalCluster (map_partitions).

Their installs are heavy: they run from ``.ci/engines``, and are skipped where not installed.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

import wegly_attribution as w
from conftest import canonical_deal, urls_equal, need


@pytest.fixture(scope="module")
def ray():
    ray = need("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_data(ray, urls_parquet, deals_parquet, cli_extract, cli_normalize) -> None:
    def attribution(batch: pa.Table) -> pa.Table:
        return batch.append_column("a", w.normalize_urls(batch.column("url")))

    def validation(batch: pa.Table) -> pa.Table:
        return batch.append_column("v", w.validate_deals(batch.column("payload")))

    rows = (
        ray.data.read_parquet(str(urls_parquet))
        .repartition(2)
        .map_batches(attribution, batch_format="pyarrow", batch_size=16)
        .to_arrow_refs()
    )
    table = pa.concat_tables(ray.get(rows)).sort_by("id")
    assert urls_equal(table.column("a").to_pylist(), cli_extract)

    rows = (
        ray.data.read_parquet(str(deals_parquet))
        .map_batches(validation, batch_format="pyarrow", batch_size=16)
        .to_arrow_refs()
    )
    table = pa.concat_tables(ray.get(rows)).sort_by("id")
    assert [canonical_deal(r) for r in table.column("v").to_pylist()] == cli_normalize


def test_dask_local_cluster(urls_parquet, deals_parquet, cli_extract, cli_normalize) -> None:
    dd = need("dask.dataframe")
    distributed = need("distributed")
    import pandas as pd

    def attribution(part: pd.DataFrame) -> pd.DataFrame:
        result = w.normalize_urls(pa.array(part["url"], pa.string()))
        return part.assign(a=pd.Series(result, dtype=pd.ArrowDtype(w.NORMALIZED_TYPE), index=part.index))

    def validation(part: pd.DataFrame) -> pd.DataFrame:
        result = w.validate_deals(pa.array(part["payload"], pa.string()))
        return part.assign(v=pd.Series(result, dtype=pd.ArrowDtype(w.VALIDATED_TYPE), index=part.index))

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        urls = dd.read_parquet(str(urls_parquet)).repartition(npartitions=3)
        meta = urls._meta.assign(a=pd.Series([], dtype=pd.ArrowDtype(w.NORMALIZED_TYPE)))
        out = urls.map_partitions(attribution, meta=meta).compute().sort_values("id")
        got = pa.array(out["a"].array).to_pylist()
        assert urls_equal(got, cli_extract)

        deals = dd.read_parquet(str(deals_parquet)).repartition(npartitions=3)
        meta = deals._meta.assign(v=pd.Series([], dtype=pd.ArrowDtype(w.VALIDATED_TYPE)))
        out = deals.map_partitions(validation, meta=meta).compute().sort_values("id")
        got = pa.array(out["v"].array).to_pylist()
        assert [canonical_deal(r) for r in got] == cli_normalize
