"""The Dask engine: an incident layer of partitions prepared on a LocalCluster gives the local answers.

The dataset is made in code as partitioned GeoParquet (and the same rows as a
glob of CSV files): events and aggregate counts over Ukraine and its
neighbours, with dates in several years, some rows without a valid date and
some points outside the country (both rejected), so every partition has
accepted and rejected rows. Each test compares the cluster's output with the
local engine's on the same project.
"""

from __future__ import annotations

import json
import os
import signal

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from layers import engine as cluster
from layers.pipeline import prepare_project, summaries
from layers.project import EngineSpec, ProjectError, load_project
from maps.build import build_project

pytest.importorskip("dask.distributed")

PARTS, ROWS = 4, 250


def _partition(rng, part: int) -> gpd.GeoDataFrame:
    n = ROWS
    frame = gpd.GeoDataFrame(
        {
            "record_id": [f"p{part}-{i}" for i in range(n)],
            "record_type": rng.choice(["event", "aggregate"], n, p=[0.9, 0.1]),
            "event_type": rng.choice(["casualty", "reported_use"], n),
            "hazard_type": "mines",
            "place": "",
            "country": "UKR",
            "date_start": [f"{2019 + part}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
            "source": "Synthetic survey",
            "casualties": rng.integers(0, 6, n),
            "killed": rng.integers(0, 3, n),
        },
        geometry=gpd.points_from_xy(rng.uniform(29, 40, n), rng.uniform(45.5, 52.5, n)),
        crs=4326,
    )
    frame.loc[frame.index[:2], "date_start"] = "sometime"  # refused: not a date
    return frame


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("partitions")
    rng = np.random.default_rng(20261206)
    (folder / "events").mkdir()
    (folder / "csv").mkdir()
    frames = []
    for part in range(PARTS):
        frames.append(frame := _partition(rng, part))
        frame.to_parquet(folder / "events" / f"part-{part:03d}.parquet")
        table = pd.DataFrame(frame.drop(columns="geometry"))
        table["latitude"], table["longitude"] = frame.geometry.y, frame.geometry.x
        table.to_csv(folder / "csv" / f"part-{part:03d}.csv", index=False)
    # The same rows as one GeoParquet file of PARTS row groups: the cluster reads it in runs
    # of row groups of at least partition_rows rows (here 2 partitions of 2 row groups).
    whole = pd.concat(frames, ignore_index=True)
    whole.to_parquet(folder / "one.parquet", row_group_size=ROWS)
    layer = '[[layers]]\nname = "events"\nkind = "incidents"\npath = "{path}"\n'
    engine = ('[engine]\nkind = "dask"\nworkers = 2\nmemory_limit = "1GiB"\npoints_on_map = 50\n'
              f"partition_rows = {ROWS + 1}\n")  # fmt: skip
    for name, path in (("parquet", "events"), ("csv", "csv/part-*.csv"), ("one", "one.parquet")):
        (folder / f"{name}_local.toml").write_text(layer.format(path=path), encoding="utf-8")
        (folder / f"{name}_dask.toml").write_text(engine + layer.format(path=path),
                                                  encoding="utf-8")  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def dask_client():
    with cluster.client(EngineSpec("dask", workers=2, memory_limit="1GiB")) as c:
        yield c


def _same_answers(local, on_cluster, partitions=PARTS) -> None:
    a, b = local.layers["events"], on_cluster.layers["events"]
    assert (a.rows_read, a.n_accepted, a.rejected) == (b.rows_read, b.n_accepted, b.rejected)
    assert a.rows_read == a.n_accepted + a.rejected == PARTS * ROWS
    assert a.rejected >= PARTS * 2  # the dates, and points outside the country
    columns = ["file", "row", "field", "reason"]
    # The cluster's rejects are on disk, a file per partition with rejects; the driver holds none.
    assert b.rejects.empty and b.spool is not None and len(b.spool.files) == partitions
    assert (b.spool.rows, b.spool.problems) == (a.rejected, len(a.rejects))
    # The same problems (a file read whole lists its date problems before its points').
    assert sorted(a.rejects[columns].values.tolist()) == sorted(
        b.all_rejects()[columns].values.tolist()
    )
    assert any(
        n == f"Rows in = accepted + rejected: {a.rows_read:,} = {a.n_accepted:,} + "
        f"{a.rejected:,} (rejects written partition by partition)."
        for n in b.notes
    )
    ours, theirs = summaries(local), summaries(on_cluster)
    assert set(ours) == {("events", "admin1"), ("events", "admin0")}
    assert set(theirs) == {*ours, ("events", "h3")}
    for key, item in ours.items():
        pd.testing.assert_frame_equal(item.table, theirs[key].table)
        assert item.notes == theirs[key].notes
    _hexagons_count_every_placed_record(a.records, theirs[("events", "h3")].table)


def _hexagons_count_every_placed_record(records, table) -> None:
    """The cluster's hexagon counts are those of the local records, cell by cell (h3 directly)."""
    import h3

    placed = records[records["precision"].isin(["exact", "settlement"])]
    assert len(placed) > 0
    for res in (3, 4, 5, 6):
        expected = pd.Series([h3.latlng_to_cell(p.y, p.x, res) for p in placed.geometry])
        got = table[table["resolution"].eq(res)].set_index("cell")["records"]
        assert got.sort_index().to_dict() == expected.value_counts().sort_index().to_dict()
        assert got.sum() == len(placed)
    assert (table["area_km2"] > 0).all()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_cluster_gives_the_local_engines_answers(dataset, fmt):
    local = prepare_project(load_project(dataset / f"{fmt}_local.toml"))
    on_cluster = prepare_project(load_project(dataset / f"{fmt}_dask.toml"))
    _same_answers(local, on_cluster)
    p = on_cluster.layers["events"]
    # The driver holds the 50 most recent records, not every record.
    assert len(p.records) == 50 < p.n_accepted

    def when(frame):
        return pd.to_datetime(frame["date_end"]).fillna(pd.to_datetime(frame["date_start"]))

    latest = when(local.layers["events"].records).sort_values()
    assert when(p.records).min() >= latest.iloc[-50]
    assert any(n.startswith("Prepared on a Dask cluster (a local cluster of 2 worker(s)): 4 "
                            "partitions") for n in p.notes)  # fmt: skip


def test_one_large_geoparquet_file_is_read_in_runs_of_row_groups(dataset):
    project = load_project(dataset / "one_dask.toml")
    spec = project.layers[0]
    assert cluster.partition_items(spec, project.engine.partition_rows) == [
        (spec.path, (0, 2)), (spec.path, (2, 4))
    ]  # fmt: skip
    local = prepare_project(load_project(dataset / "one_local.toml"))
    on_cluster = prepare_project(project)
    # Rows keep the file's numbers (rejects of row 501 and 502 are in the second partition).
    _same_answers(local, on_cluster, partitions=2)
    assert {501, 502} <= set(on_cluster.layers["events"].all_rejects()["row"])
    assert any(n.startswith("Prepared on a Dask cluster (a local cluster of 2 worker(s)): 2 "
                            "partitions") for n in on_cluster.layers["events"].notes)  # fmt: skip


@pytest.mark.parametrize("dedupe", [False, True])
def test_a_record_id_repeated_across_partitions_is_found_as_the_local_merge_finds_it(
    dataset, tmp_path, dedupe
):
    # Partition 2 repeats 12 ids of partition 0 (an overlapping download of the same archive).
    (tmp_path / "events").mkdir()
    for part in range(PARTS):
        frame = gpd.read_parquet(dataset / "events" / f"part-{part:03d}.parquet")
        if part == 2:
            frame.loc[frame.index[100:112], "record_id"] = [f"p0-{i}" for i in range(100, 112)]
        frame.to_parquet(tmp_path / "events" / f"part-{part:03d}.parquet")
    layer = '[[layers]]\nname = "events"\nkind = "incidents"\npath = "events"\n'
    layer += 'dedupe_on = ["record_id"]\n' if dedupe else ""
    engine = (dataset / "parquet_dask.toml").read_text(encoding="utf-8").split("[[layers]]")[0]
    (tmp_path / "local.toml").write_text(layer, encoding="utf-8")
    (tmp_path / "dask.toml").write_text(engine + layer, encoding="utf-8")
    local = prepare_project(load_project(tmp_path / "local.toml"))
    on_cluster = prepare_project(load_project(tmp_path / "dask.toml"))
    a, b = local.layers["events"], on_cluster.layers["events"]
    assert (a.rows_read, a.n_accepted, a.rejected, a.duplicates) == (
        b.rows_read, b.n_accepted, b.rejected, b.duplicates)  # fmt: skip
    repeats = b.all_rejects()
    repeats = repeats[repeats["field"].eq("record_id")]
    if dedupe:
        assert 0 < b.duplicates <= 12 and repeats.empty
        assert any(n.startswith(f"dedupe_on ['record_id']: {b.duplicates} record(s) repeat a "
                                "record of an earlier partition") for n in b.notes)  # fmt: skip
    else:
        ours = a.rejects[a.rejects["field"].eq("record_id")]
        assert 0 < len(repeats) <= 12 and b.duplicates == 0
        assert sorted(repeats["reason"]) == sorted(ours["reason"])
        assert repeats["reason"].str.match(r"the record_id is also that of row \d+ of "
                                           r"events/part-000\.parquet$").all()  # fmt: skip
    theirs = summaries(on_cluster)
    for key, item in summaries(local).items():
        pd.testing.assert_frame_equal(item.table, theirs[key].table)


def test_summaries_by_a_projects_grouping_are_made_on_the_cluster(dataset, tmp_path):
    # Two zones of Ukraine's oblasts whose composition changes on 2021-01-01, so the records
    # of 2019-2022 fall under both; some records have no date (the latest composition).
    from geo import admin1

    codes = sorted(admin1().query("country == 'UKR'")["code"])
    rows = ["unit_code,member,valid_from,valid_to"]
    for i, code in enumerate(codes):
        rows.append(f"{code},{'East' if i % 2 else 'West'},2015-01-01,2020-12-31")
        rows.append(f"{code},{'East' if i % 3 else 'West'},2021-01-01,")
    (tmp_path / "zones.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "events").mkdir()
    for part in range(PARTS):
        frame = gpd.read_parquet(dataset / "events" / f"part-{part:03d}.parquet")
        frame.loc[frame.index[10:20], "date_start"] = ""
        frame.to_parquet(tmp_path / "events" / f"part-{part:03d}.parquet")
    layer = ('[groupings.zones]\npath = "zones.csv"\ntitle = "Zones"\nsource = "Synthetic"\n'
             '[summaries]\nby = ["admin1", "zones"]\n[[layers]]\nname = "events"\n'
             'kind = "incidents"\npath = "events"\n')  # fmt: skip
    engine = (dataset / "parquet_dask.toml").read_text(encoding="utf-8").split("[[layers]]")[0]
    (tmp_path / "local.toml").write_text(layer, encoding="utf-8")
    (tmp_path / "dask.toml").write_text(engine + layer, encoding="utf-8")
    local = prepare_project(load_project(tmp_path / "local.toml"))
    on_cluster = prepare_project(load_project(tmp_path / "dask.toml"))
    ours, theirs = summaries(local), summaries(on_cluster)
    assert set(ours) == {("events", "admin1"), ("events", "zones")}
    assert set(theirs) == {*ours, ("events", "h3")}
    for key, item in ours.items():
        pd.testing.assert_frame_equal(item.table, theirs[key].table)
        assert item.notes == theirs[key].notes
    table = theirs[("events", "zones")].table
    assert set(table["unit"]) == {"East", "West"} and table["events"].sum() > 0
    said = [n for n in theirs[("events", "zones")].notes if n.startswith("Members: Zones, as in")]
    # Both compositions are said: before 2021 (West 14 units) and from 2021 (West 9 units).
    assert any("West 14" in n for n in said) and any("West 9" in n for n in said)


def test_hazard_polygons_in_partitions_give_the_local_areas(tmp_path):
    # 1,200 hazard polygons of an IMSMA-like export (nulls, empties, bow-ties, shifted
    # copies, multi-part, crossing and outside polygons) over the embedded units, in 4 files.
    from tests import hazard_sources as hs

    polygons = hs.hazard_polygons(n=1200, seed=11)
    frame = gpd.GeoDataFrame(
        {"record_id": polygons["hazard_id"], "hazard_class": polygons["status"],
         "status": np.where(polygons["land_status"].eq("closed"), "cleared", ""),
         "source": "Synthetic survey"},
        geometry=polygons.geometry, crs=4326,
    )  # fmt: skip
    (tmp_path / "h").mkdir()
    for part in range(4):
        frame.iloc[part * 300 : (part + 1) * 300].to_parquet(tmp_path / "h" / f"p{part}.parquet")
    layer = '[[layers]]\nname = "hazards"\nkind = "hazards"\npath = "h"\n'
    engine = '[engine]\nkind = "dask"\nworkers = 2\nmemory_limit = "1GiB"\npoints_on_map = 100\n'
    (tmp_path / "local.toml").write_text(layer, encoding="utf-8")
    (tmp_path / "dask.toml").write_text(engine + layer, encoding="utf-8")
    local = prepare_project(load_project(tmp_path / "local.toml"))
    on_cluster = prepare_project(load_project(tmp_path / "dask.toml"))
    a, b = local.layers["hazards"], on_cluster.layers["hazards"]
    assert (a.rows_read, a.n_accepted, a.rejected) == (b.rows_read, b.n_accepted, b.rejected)
    assert b.rejected > 0 and len(b.records) == 100 < b.n_accepted
    ours, theirs = summaries(local), summaries(on_cluster)
    for by in ("admin1", "admin0"):
        mine, yours = ours[("hazards", by)], theirs[("hazards", by)]
        assert mine.notes == yours.notes
        left, right = mine.table, yours.table
        assert list(left.columns) == list(right.columns) and len(left) == len(right) > 0
        for column in left.columns:
            if column in ("union_km2", "overlap_km2"):  # unions of unions: GEOS nodes anew
                off = np.abs(right[column].to_numpy() - left[column].to_numpy())
                assert (off <= 1e-7 * left["sum_km2"].to_numpy()).all(), column
            elif column.endswith("_km2"):  # sums in another order
                np.testing.assert_allclose(right[column], left[column], rtol=1e-12, atol=1e-15)
            else:
                assert right[column].tolist() == left[column].tolist()
    assert (ours[("hazards", "admin1")].table["overlap_km2"] > 0).any()  # overlaps were there
    assert any("polygons (the most recent" in n for n in b.notes)
    # The map shades units by the cluster's table (all polygons), not by the 100 drawn.
    from maps.hazard_view import hazards_map

    page = hazards_map(b.records).get_root().render()
    assert f"Polygons: 100 of {b.n_accepted:,} (the most recent)" in page


def test_a_build_on_the_cluster_says_what_its_map_draws(dataset, tmp_path):
    out = tmp_path / "out"
    build_project(dataset / "parquet_dask.toml", out)
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == {"kind": "dask"}
    layer = manifest["layers"]["events"]
    assert layer["rows_read"] == layer["accepted"] + layer["rejected"] == PARTS * ROWS
    page = (out / "events.html").read_text(encoding="utf-8")
    assert f"Points: the 50 most recent of {layer['accepted']:,} records" in page
    # The hexagons count every record, drawn at the finest resolution of at most 5,000 cells.
    assert "Records per hexagon (H3 resolution 6, all records)" in page
    hexagons = pd.read_csv(out / "summaries" / "events_by_h3.csv")
    assert hexagons.groupby("resolution")["records"].sum().nunique() == 1
    # The index shows a long table by its first rows and names the whole one.
    from maps.build import INDEX_ROWS

    assert len(hexagons) > INDEX_ROWS
    index = (out / "index.html").read_text(encoding="utf-8")
    said = f"The first {INDEX_ROWS:,} of {len(hexagons):,} rows; the whole table is summaries/"
    assert said + "events_by_h3.csv" in index
    assert len(pd.read_csv(out / "records.csv")) == 50
    # The same summaries as the local engine's build.
    local = tmp_path / "local"
    build_project(dataset / "parquet_local.toml", local)
    for name in ("events_by_admin1.csv", "events_by_admin0.csv"):
        assert (out / "summaries" / name).read_bytes() == (local / "summaries" / name).read_bytes()
    # rejects.csv, written from the spool partition by partition, is the local build's.
    assert (out / "rejects.csv").read_bytes() == (local / "rejects.csv").read_bytes()
    assert len(pd.read_csv(out / "rejects.csv")) >= layer["rejected"] > 0


def test_a_worker_killed_mid_run_is_replaced_and_the_answer_is_the_same(dataset, dask_client):
    project = load_project(dataset / "parquet_dask.toml")
    spec = project.layers[0]
    engine = project.engine
    parts = dask_client.persist(cluster.partitions(spec, project.path, None, None, engine=engine))
    future = dask_client.compute(cluster.reduction(parts, keep=engine.points_on_map))
    # Once a task runs, kill the process of a worker (SIGKILL: no goodbye to the scheduler).
    dask_client.sync(_first_task_running, dask_client, future)
    pids = dask_client.run(os.getpid)
    victim = sorted(pids)[0]
    os.kill(pids[victim], signal.SIGKILL)
    total = future.result()
    # The rejects of the killed worker's partitions are made again when the driver asks for them.
    p = cluster.finish(total, spec, project.path, None, engine,
                       cluster.spool_rejects(parts, dask_client))  # fmt: skip
    local = prepare_project(load_project(dataset / "parquet_local.toml"))
    done = prepare_project(load_project(dataset / "parquet_local.toml"))
    done.layers["events"] = p
    _same_answers(local, done)


async def _first_task_running(client, future) -> None:
    """Wait until a worker is processing a task of the run (or the run is over)."""
    import asyncio

    while not future.done():
        if any((await client.scheduler.processing()).values()):
            return
        await asyncio.sleep(0.01)  # the next look at the scheduler's state


def test_the_engine_table_is_checked(tmp_path):
    (tmp_path / "e.csv").write_text("x\n1\n", encoding="utf-8")
    layer = '[[layers]]\nname = "e"\nkind = "incidents"\npath = "e.csv"\n'
    for engine, key in (('kind = "spark"', "engine.kind"), ("workers = 0", "engine.workers"),
                        ("cores = 4", "engine")):  # fmt: skip
        (tmp_path / "p.toml").write_text(f"[engine]\n{engine}\n{layer}", encoding="utf-8")
        with pytest.raises(ProjectError) as err:
            load_project(tmp_path / "p.toml")
        assert err.value.key == key


def _count_prepares() -> None:
    """On a worker: count the partitions prepared (layers.pipeline.prepare_file calls)."""
    import layers.pipeline as pipeline

    if getattr(pipeline, "_counted", None) is None:
        prepare = pipeline.prepare_file

        def counted(*args, **kwargs):
            pipeline._counted.append(str(args[1]))
            return prepare(*args, **kwargs)

        pipeline._counted, pipeline._prepare = [], prepare
        pipeline.prepare_file = counted
    pipeline._counted.clear()


def _prepared_files() -> list:
    import layers.pipeline as pipeline

    return list(pipeline._counted)


def _uncount() -> None:
    import layers.pipeline as pipeline

    pipeline.prepare_file, pipeline._counted = pipeline._prepare, None


def test_each_partition_is_prepared_once(dataset, dask_client):
    # The reduction, the rejects and the id hashes come from the same tasks: no partition is
    # read twice (unfused graphs; a fused copy of the graph would prepare each one 3 times).
    project = load_project(dataset / "parquet_dask.toml")
    dask_client.run(_count_prepares)
    try:
        p = cluster.prepare_on_cluster(project.layers[0], project.path, None, None,
                                       engine=project.engine, dask_client=dask_client)  # fmt: skip
        files = [f for fs in dask_client.run(_prepared_files).values() for f in fs]
    finally:
        dask_client.run(_uncount)
    assert sorted(files) == sorted(str(f) for f in project.layers[0].files)
    assert p.rows_read == PARTS * ROWS


def test_ids_repeat_only_when_both_hashes_do():
    # Two ids sharing the first 64-bit hash but not the second are different ids.
    from layers.record_ids import repeated_ids

    def frame(part, h2_of_first):
        return pd.DataFrame({"h1": np.array([1, 2], dtype=np.uint64),
                             "h2": np.array([h2_of_first, 20], dtype=np.uint64),
                             "part": part, "row": [2, 3]})  # fmt: skip

    found = repeated_ids([frame(0, 10), frame(1, 11)], ["a.csv", "b.csv"], None)
    assert found.index.tolist() == [(2, 20)]
    assert found.loc[(2, 20)].to_dict() == {"part": 0, "row": 3, "parts": [0, 1], "file": "a.csv"}
