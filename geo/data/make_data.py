"""Rebuild the embedded data files of ``geo/data`` from the source GeoPackages.

Maintainer script, not used at run time. Usage::

    python geo/data/make_data.py SOURCE_DIR

where ``SOURCE_DIR`` holds the GeoPackages described in ``geo/data/README.md``
(Natural Earth 1:10m admin-0 and admin-1, GeoNames cities). Geometry is kept at
full resolution; only attribute columns that minemap uses are kept, and the
files are written as GeoParquet with zstd compression.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).parent

ADMIN1_COLUMNS = [
    "adm1_code",
    "iso_3166_2",
    "iso_a2",
    "adm0_a3",
    "admin",
    "sov_a3",
    "name",
    "name_alt",
    "name_local",
    "type",
    "type_en",
    "code_local",
    "code_hasc",
    "fips",
    "woe_name",
    "gn_id",
    "gn_name",
    "gns_name",
    "wikidataid",
    "ne_id",
    "note",
    "latitude",
    "longitude",
    "name_ar",
    "name_bn",
    "name_de",
    "name_en",
    "name_es",
    "name_fr",
    "name_el",
    "name_hi",
    "name_hu",
    "name_id",
    "name_it",
    "name_ja",
    "name_ko",
    "name_nl",
    "name_pl",
    "name_pt",
    "name_ru",
    "name_sv",
    "name_tr",
    "name_vi",
    "name_zh",
    "name_he",
    "name_uk",
    "name_ur",
    "name_fa",
    "name_zht",
]
ADMIN0_COLUMNS = [
    "ADMIN",
    "ADM0_A3",
    "ISO_A3",
    "ISO_A3_EH",
    "ISO_A2",
    "SOVEREIGNT",
    "SOV_A3",
    "TYPE",
    "NAME",
    "NAME_LONG",
    "FORMAL_EN",
    "NAME_ALT",
    "NAME_SORT",
    "NAME_EN",
    "NAME_RU",
    "NAME_UK",
    "NAME_AR",
    "NAME_FR",
    "NAME_DE",
    "NAME_ES",
    "WIKIDATAID",
    "NE_ID",
]
GAZETTEER_COLUMNS = [
    "geonameid",
    "name",
    "alternatenames",
    "countrycode",
    "admin1code",
    "population",
    "source_set",
    "ne_iso_3166_2",
    "ne_adm0_a3",
    "ne_adm1_join",
]


def _write(frame: gpd.GeoDataFrame, name: str) -> None:
    target = HERE / f"{name}.parquet"
    frame.to_parquet(target, compression="zstd", index=False, write_covering_bbox=False)
    print(f"{target.name}: {len(frame)} rows, {target.stat().st_size / 1e6:.1f} MB")


def main(source_dir: str) -> None:
    src = Path(source_dir)
    admin1 = gpd.read_file(src / "ne_10m_admin_1_states_provinces.gpkg")
    _write(admin1[ADMIN1_COLUMNS + ["geometry"]], "admin1")
    admin0 = gpd.read_file(src / "ne_10m_admin_0_countries.gpkg")
    _write(admin0[ADMIN0_COLUMNS + ["geometry"]], "admin0")
    cities = gpd.read_file(src / "geonames_cities.gpkg")
    _write(cities[GAZETTEER_COLUMNS + ["geometry"]], "gazetteer")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python geo/data/make_data.py SOURCE_DIR")
    main(sys.argv[1])
