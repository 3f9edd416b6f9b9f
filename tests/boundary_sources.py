"""Boundary files as OCHA, geoBoundaries and a Ukrainian ministry publish them, built in code.

Each ``write_*`` function writes one file set into a folder and returns its path.
Shapes are the embedded Natural Earth 1:10m units (``embedded("admin1")``), so
nothing is read from the network or from outside the repository; attributes follow
the real files. The same call gives the same bytes (fixed dates in the GeoPackage
and .dbf headers, fixed times in the zip).

Traits each fixture carries:

* :func:`write_cod_ukr`: OCHA COD-AB Ukraine admin 1 (HDX ``cod-ab-ukr``) in the
  attribute layout of the ``ukr_admbnda_adm1_sspe_20220114`` release: 20 columns
  (``Shape_Leng``, ``Shape_Area`` in degrees, ``ADM1_EN``/``_UA``/``_RU``,
  ``ADM1_PCODE``, empty ``ADM1_REF`` and ``ADM1ALT*``, ``ADM0_*``, ``date``
  2021-11-09, ``validOn`` 2022-01-14, ``validTo`` empty); rows in p-code order;
  p-codes in the national numbering (KOATUU's, kept by KATOTTG), so five differ
  in number from ISO 3166-2 (UA01 Crimea, UA44 Luhansk, UA73 Chernivtsi, UA80
  Kyiv, UA85 Sevastopol); the English
  names are adjectival transliterations ("Kyivska", "Avtonomna Respublika Krym")
  with the city "Kyiv" beside the oblast "Kyivska". Options give a second
  "Kyivska" or leave Kyiv city out.
* :func:`write_shapefile_utf8_no_cpg`: a .dbf in UTF-8 with no .cpg beside it,
  whose header's language byte is 0, so a reader that trusts the .dbf alone
  takes the Cyrillic for Latin-1; :func:`write_shapefile_cp1251` the Windows
  code page, said by a ``.cpg`` reading ``1251`` (ESRI's form, which GDAL reads).
* :func:`write_geoboundaries_bih_adm2`: geoBoundaries' five columns
  (``shapeName``, ``shapeISO`` empty, ``shapeID`` ``BIH-ADM2-3_0_0-B<n>``,
  ``shapeGroup``, ``shapeType``) on Bosnia and Herzegovina, whose ADM2 holds the
  Federation's 10 cantons with Republika Srpska and Brčko District beside them.
* :func:`write_ministry_ukr`: Ukrainian names only, with the unit type written
  out ("Донецька область", "м. Київ") and the 19-character KATOTTG code.
* :data:`UKR_TYPOS`: one misspelt English name per unit.

Confirmed against public material (titles and addresses in
``geo/data/ukr_codes.md``): the COD column layout, dates, and the UA01, UA05 and
UA07 rows (a notebook that read the 2022-01-14 shapefile from HDX); the 27
p-codes and English and Ukrainian names (a public project's oblast index keyed
by COD p-code, which notes "UA-09 in Real but UA-44"; HDX's caveat naming UA01
and UA85); the 27 KATOTTG codes (two independent public lists, one generated from
the official codifier workbook, and a third for 25 of them); geoBoundaries'
columns and the ``<ISO>-ADM<n>-3_0_0-B<n>`` identifiers (public reads of
geoBoundaries files); the 12 units of a geoBoundaries BIH ADM2 release (a public
script that reads it as cantons). Inferred, not confirmed: the Russian names
other than those three rows; which unit a COD release mislabelled "Kyivska"
(here Kyiv city; no public record of it was found); the local-language
``shapeName`` values (the one release seen has English names, given by
``names="english"``); an empty ``shapeISO`` (other geoBoundaries files seen
write the text "None"); the "common" English names typos start from; file names.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import fiona
import shapely
from fiona.model import Feature, Geometry, Properties
from shapely.geometry import MultiPolygon, mapping

__all__ = [
    "BIH_ADM2_NAMES",
    "BIH_ADM2_SOURCES",
    "COD_COLUMNS",
    "COD_STEM",
    "UKR_TYPOS",
    "UKR_TYPO_SOURCES",
    "UKR_UNITS",
    "UkrUnit",
    "write_cod_ukr",
    "write_geoboundaries_bih_adm2",
    "write_ministry_ukr",
    "write_shapefile_cp1251",
    "write_shapefile_utf8_no_cpg",
]


class UkrUnit(NamedTuple):
    """One first-level unit of Ukraine, with its codes and names."""

    iso: str  # ISO 3166-2
    pcode: str  # COD-AB ADM1_PCODE
    katottg: str  # KATOTTG code of the first level
    name_en: str  # COD ADM1_EN
    name_uk: str  # COD ADM1_UA
    name_ru: str  # COD ADM1_RU (inferred but for UA01, UA05, UA07)
    common_en: str  # the usual English name, the base of some typos
    ministry: str  # the name with its type, as Ukrainian official lists give it
    natural_earth: str  # code of the embedded admin-1 unit


#: The 27 units in COD p-code order (the order of the COD files).
UKR_UNITS: tuple[UkrUnit, ...] = tuple(
    UkrUnit(*row)
    for row in (
        ("UA-43", "UA01", "UA01000000000013043", "Avtonomna Respublika Krym",
         "Автономна Республіка Крим", "Автономная Республика Крым", "Crimea",
         "Автономна Республіка Крим", "UA-43"),
        ("UA-05", "UA05", "UA05000000000010236", "Vinnytska", "Вінницька", "Винницкая",
         "Vinnytsia", "Вінницька область", "UA-05"),
        ("UA-07", "UA07", "UA07000000000024379", "Volynska", "Волинська", "Волынская",
         "Volyn", "Волинська область", "UA-07"),
        ("UA-12", "UA12", "UA12000000000090473", "Dnipropetrovska", "Дніпропетровська",
         "Днепропетровская", "Dnipropetrovsk", "Дніпропетровська область", "UA-12"),
        ("UA-14", "UA14", "UA14000000000091971", "Donetska", "Донецька", "Донецкая",
         "Donetsk", "Донецька область", "UA-14"),
        ("UA-18", "UA18", "UA18000000000041385", "Zhytomyrska", "Житомирська", "Житомирская",
         "Zhytomyr", "Житомирська область", "UA-18"),
        ("UA-21", "UA21", "UA21000000000011690", "Zakarpatska", "Закарпатська", "Закарпатская",
         "Zakarpattia", "Закарпатська область", "UA-21"),
        ("UA-23", "UA23", "UA23000000000064947", "Zaporizka", "Запорізька", "Запорожская",
         "Zaporizhzhia", "Запорізька область", "UA-23"),
        ("UA-26", "UA26", "UA26000000000069363", "Ivano-Frankivska", "Івано-Франківська",
         "Ивано-Франковская", "Ivano-Frankivsk", "Івано-Франківська область", "UA-26"),
        ("UA-32", "UA32", "UA32000000000030281", "Kyivska", "Київська", "Киевская",
         "Kyiv Oblast", "Київська область", "UA-32"),
        ("UA-35", "UA35", "UA35000000000016081", "Kirovohradska", "Кіровоградська",
         "Кировоградская", "Kirovohrad", "Кіровоградська область", "UA-35"),
        ("UA-09", "UA44", "UA44000000000018893", "Luhanska", "Луганська", "Луганская",
         "Luhansk", "Луганська область", "UA-09"),
        ("UA-46", "UA46", "UA46000000000026241", "Lvivska", "Львівська", "Львовская",
         "Lviv", "Львівська область", "UA-46"),
        ("UA-48", "UA48", "UA48000000000039575", "Mykolaivska", "Миколаївська", "Николаевская",
         "Mykolaiv", "Миколаївська область", "UA-48"),
        ("UA-51", "UA51", "UA51000000000030770", "Odeska", "Одеська", "Одесская",
         "Odesa", "Одеська область", "UA-51"),
        ("UA-53", "UA53", "UA53000000000028050", "Poltavska", "Полтавська", "Полтавская",
         "Poltava", "Полтавська область", "UA-53"),
        ("UA-56", "UA56", "UA56000000000066151", "Rivnenska", "Рівненська", "Ровенская",
         "Rivne", "Рівненська область", "UA-56"),
        ("UA-59", "UA59", "UA59000000000057109", "Sumska", "Сумська", "Сумская",
         "Sumy", "Сумська область", "UA-59"),
        ("UA-61", "UA61", "UA61000000000060328", "Ternopilska", "Тернопільська", "Тернопольская",
         "Ternopil", "Тернопільська область", "UA-61"),
        ("UA-63", "UA63", "UA63000000000041885", "Kharkivska", "Харківська", "Харьковская",
         "Kharkiv", "Харківська область", "UA-63"),
        ("UA-65", "UA65", "UA65000000000030969", "Khersonska", "Херсонська", "Херсонская",
         "Kherson", "Херсонська область", "UA-65"),
        ("UA-68", "UA68", "UA68000000000099709", "Khmelnytska", "Хмельницька", "Хмельницкая",
         "Khmelnytskyi", "Хмельницька область", "UA-68"),
        ("UA-71", "UA71", "UA71000000000010357", "Cherkaska", "Черкаська", "Черкасская",
         "Cherkasy", "Черкаська область", "UA-71"),
        ("UA-77", "UA73", "UA73000000000044923", "Chernivetska", "Чернівецька", "Черновицкая",
         "Chernivtsi", "Чернівецька область", "UA-77"),
        ("UA-74", "UA74", "UA74000000000025378", "Chernihivska", "Чернігівська", "Черниговская",
         "Chernihiv", "Чернігівська область", "UA-74"),
        ("UA-30", "UA80", "UA80000000000093317", "Kyiv", "Київ", "Киев",
         "Kyiv", "м. Київ", "UA-30"),
        ("UA-40", "UA85", "UA85000000000065278", "Sevastopol", "Севастополь", "Севастополь",
         "Sevastopol", "м. Севастополь", "UA-40"),
    )
)  # fmt: skip

#: File stem of the COD-AB admin-1 release whose layout the fixture copies.
COD_STEM = "ukr_admbnda_adm1_sspe_20220114"
#: Columns of the COD-AB admin-1 layer, in order (geometry last, not listed).
COD_COLUMNS = (
    "Shape_Leng", "Shape_Area", "ADM1_EN", "ADM1_UA", "ADM1_RU", "ADM1_PCODE", "ADM1_REF",
    "ADM1ALT1EN", "ADM1ALT2EN", "ADM1ALT1UA", "ADM1ALT2UA", "ADM1ALT1RU", "ADM1ALT2RU",
    "ADM0_EN", "ADM0_UA", "ADM0_RU", "ADM0_PCODE", "date", "validOn", "validTo",
)  # fmt: skip
_COD_DATE, _COD_VALID_ON = "2021-11-09", "2022-01-14"
#: Unit given the name "Kyivska" a second time by ``write_cod_ukr(duplicate_name=True)``.
_DUPLICATE_PCODE = "UA80"

#: Misspelt English names, each to the ISO 3166-2 code it means: one per unit, at
#: most two edits (Levenshtein) from the name in :data:`UKR_TYPO_SOURCES`.
_TYPOS = (
    # typo, ISO code, the name it misspells (COD ADM1_EN or common English name)
    ("Crimia", "UA-43", "Crimea"),  # common; e -> i
    ("Vinnytsa", "UA-05", "Vinnytsia"),  # common; i dropped
    ("Vonyn", "UA-07", "Volyn"),  # common; l -> n
    ("Driproptrovska", "UA-12", "Dnipropetrovska"),  # COD; n -> r, e dropped
    ("Donetks", "UA-14", "Donetsk"),  # common; s and k swapped
    ("Zhytomir", "UA-18", "Zhytomyr"),  # common; y -> i
    ("Zakarpatia", "UA-21", "Zakarpattia"),  # common; t dropped
    ("Zaporiska", "UA-23", "Zaporizka"),  # COD; z -> s
    ("Ivano Frankivsk", "UA-26", "Ivano-Frankivsk"),  # common; hyphen -> space
    ("Kiyvska", "UA-32", "Kyivska"),  # COD; y and i swapped
    ("Kirovohard", "UA-35", "Kirovohrad"),  # common; r and a swapped
    ("Luhamsk", "UA-09", "Luhansk"),  # common; n -> m
    ("Lviiv", "UA-46", "Lviv"),  # common; i doubled
    ("Mykolaev", "UA-48", "Mykolaiv"),  # common; i -> e
    ("Oddesa", "UA-51", "Odesa"),  # common; d doubled
    ("Poltva", "UA-53", "Poltava"),  # common; a dropped
    ("Rivnenksa", "UA-56", "Rivnenska"),  # COD; s and k swapped
    ("Summy", "UA-59", "Sumy"),  # common; m doubled
    ("Ternopl", "UA-61", "Ternopil"),  # common; i dropped
    ("Kharikv", "UA-63", "Kharkiv"),  # common; k and i swapped
    ("Khersonksa", "UA-65", "Khersonska"),  # COD; s and k swapped
    ("Khmelnitskyi", "UA-68", "Khmelnytskyi"),  # common; y -> i
    ("Cherkassy", "UA-71", "Cherkasy"),  # common; s doubled
    ("Chernovtsi", "UA-77", "Chernivtsi"),  # common; i -> o
    ("Chernigiv", "UA-74", "Chernihiv"),  # common; h -> g
    ("Kyiiv", "UA-30", "Kyiv"),  # COD and common; i doubled
    ("Sevastapol", "UA-40", "Sevastopol"),  # COD and common; o -> a
)
UKR_TYPOS: dict[str, str] = {typo: iso for typo, iso, _ in _TYPOS}
#: For each typo, the name it misspells.
UKR_TYPO_SOURCES: dict[str, str] = {typo: base for typo, _, base in _TYPOS}

#: geoBoundaries BIH ADM2 ``shapeName`` values: local names (the default) and the
#: English names of the release a public script reads.
BIH_ADM2_NAMES: dict[str, tuple[str, ...]] = {
    "local": (
        "Unsko-sanski kanton", "Posavski kanton", "Tuzlanski kanton",
        "Zeničko-dobojski kanton", "Bosansko-podrinjski kanton Goražde",
        "Srednjobosanski kanton", "Hercegovačko-neretvanski kanton",
        "Zapadnohercegovački kanton", "Kanton Sarajevo", "Kanton 10", "Republika Srpska",
        "Brčko distrikt",
    ),
    "english": (
        "Una-Sana Canton", "Posavina Canton", "Tuzla Canton", "Zenica-Doboj Canton",
        "Bosnian-Podrinje Canton Goražde", "Central Bosnia Canton",
        "Herzegovina-Neretva Canton", "West Herzegovina Canton", "Sarajevo Canton",
        "Canton 10", "Republika Srpska", "Brcko District",
    ),
}  # fmt: skip
#: The embedded Natural Earth units (``adm1_code``) each BIH ADM2 unit is made of,
#: in the order of :data:`BIH_ADM2_NAMES`. Natural Earth has every canton, but
#: nine share the code ``BA-BIH`` (and Posavina has ``BA-SRP``), hence ``adm1_code``;
#: Republika Srpska is the union of its seven regions.
BIH_ADM2_SOURCES: tuple[tuple[str, ...], ...] = (
    ("BIH-2225",), ("BIH-3153",), ("BIH-2887",), ("BIH-2889",), ("BIH-2891",),
    ("BIH-2226",), ("BIH-2228",), ("BIH-2227",), ("BIH-2890",), ("BIH-2224",),
    ("BIH-4801", "BIH-4802", "BIH-4804", "BIH-4805", "BIH-4806", "BIH-4807", "BIH-4808"),
    ("BIH-4803",),
)  # fmt: skip

# Fixed dates for the headers GDAL would otherwise stamp with today's date.
_GPKG_DATE = "2022-01-14T00:00:00Z"
_DBF_DATE = "2022-01-14"
_ZIP_TIME = (2022, 1, 14, 0, 0, 0)


# --------------------------------------------------------------------------- helpers


def _admin1(column: str, keys) -> dict:
    """Return the embedded admin-1 geometry of each of ``keys``, found by ``column``."""
    from geo.boundary_sets import embedded

    frame = embedded("admin1").frame
    found = frame[frame[column].isin(set(keys))]
    if sorted(found[column]) != sorted(set(keys)):
        raise LookupError(f"embedded admin-1 units not found once each by {column}: {keys}")
    return dict(zip(found[column], found.geometry, strict=True))


def _ukr_shapes() -> dict[str, MultiPolygon]:
    """Return the embedded geometry of each Ukrainian unit by ISO code."""
    shapes = _admin1("code", [u.natural_earth for u in UKR_UNITS])
    return {u.iso: shapes[u.natural_earth] for u in UKR_UNITS}


def _single(geom):
    """Return a one-part MultiPolygon as a Polygon, as shapefiles and GeoJSON hold it."""
    return geom.geoms[0] if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1 else geom


def _write(path: Path, driver: str, properties: dict[str, str], rows, *, multi: bool, **options):
    """Write ``rows`` of ``(properties, geometry)`` with fiona, reproducibly."""
    schema = {"geometry": "MultiPolygon" if multi else "Unknown", "properties": properties}
    if driver == "ESRI Shapefile":
        schema["geometry"] = "Polygon"
        options.setdefault("DBF_DATE_LAST_UPDATE", _DBF_DATE)
    env = fiona.Env(OGR_CURRENT_DATE=_GPKG_DATE)
    with (
        env,
        fiona.open(path, "w", driver=driver, schema=schema, crs="EPSG:4326", **options) as dst,
    ):
        for props, geom in rows:
            geom = MultiPolygon([geom]) if multi and geom.geom_type == "Polygon" else geom
            geom = geom if multi else _single(geom)
            shape = Geometry.from_dict(mapping(geom))
            dst.write(Feature(geometry=shape, properties=Properties(**props)))
    return path


def _zip(files: list[Path], target: Path) -> Path:
    """Zip ``files`` flat into ``target`` with fixed times."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(files):
            info = zipfile.ZipInfo(file.name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, file.read_bytes())
    return target


def _shapefile_parts(shp: Path) -> list[Path]:
    return [
        p
        for p in (shp.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg"))
        if p.exists()
    ]


# --------------------------------------------------------------------------- COD-AB


def write_cod_ukr(
    folder,
    *,
    duplicate_name: bool = False,
    without_capital: bool = False,
    fmt: str = "gpkg",
    russian: bool = True,
) -> Path:
    """Write a COD-AB-like admin-1 set of Ukraine.

    Parameters
    ----------
    folder : path-like
        Existing folder to write into.
    duplicate_name : bool
        Name Kyiv city (UA80) "Kyivska", like the oblast (UA32): two units, one name.
    without_capital : bool
        Leave Kyiv city (UA80) out: 26 units.
    fmt : {"gpkg", "shp", "shpzip", "geojson"}
        GeoPackage (layer named like the file), Shapefile with a UTF-8 ``.cpg``, a
        zip holding that Shapefile, or GeoJSON.
    russian : bool
        Keep the ``*_RU`` columns.

    Returns
    -------
    pathlib.Path
        The ``.gpkg``, ``.shp``, ``.zip`` or ``.geojson`` written.
    """
    if duplicate_name and without_capital:
        raise ValueError("duplicate_name names Kyiv city; it cannot also be left out")
    drivers = {"gpkg": "GPKG", "shp": "ESRI Shapefile", "shpzip": "ESRI Shapefile",
               "geojson": "GeoJSON"}  # fmt: skip
    if fmt not in drivers:
        raise ValueError(f"fmt must be one of {sorted(drivers)}, not {fmt!r}")
    folder = Path(folder)
    shapes = _ukr_shapes()
    columns = [c for c in COD_COLUMNS if russian or not c.endswith("RU")]
    types = {c: "str:50" for c in columns}
    types.update({"Shape_Leng": "float", "Shape_Area": "float", "date": "date",
                  "validOn": "date", "validTo": "date"})  # fmt: skip
    rows = []
    for u in UKR_UNITS:
        if without_capital and u.pcode == "UA80":
            continue
        geom = shapes[u.iso]
        name_en = "Kyivska" if duplicate_name and u.pcode == _DUPLICATE_PCODE else u.name_en
        values = {
            "Shape_Leng": float(geom.length), "Shape_Area": float(geom.area),
            "ADM1_EN": name_en, "ADM1_UA": u.name_uk, "ADM1_RU": u.name_ru,
            "ADM1_PCODE": u.pcode, "ADM0_EN": "Ukraine", "ADM0_UA": "Україна",
            "ADM0_RU": "Украина", "ADM0_PCODE": "UA", "date": _COD_DATE,
            "validOn": _COD_VALID_ON,
        }  # fmt: skip
        rows.append(({c: values.get(c) for c in columns}, geom))
    driver = drivers[fmt]
    if fmt == "gpkg":
        return _write(folder / f"{COD_STEM}.gpkg", driver, types, rows, multi=True, layer=COD_STEM)
    if fmt == "geojson":
        return _write(folder / f"{COD_STEM}.geojson", driver, types, rows, multi=False)
    if fmt == "shp":
        return _write(
            folder / f"{COD_STEM}.shp", driver, types, rows, multi=False, encoding="utf-8"
        )
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        shp = _write(Path(tmp) / f"{COD_STEM}.shp", driver, types, rows, multi=False,
                     encoding="utf-8")  # fmt: skip
        return _zip(_shapefile_parts(shp), folder / f"{COD_STEM}_shp.zip")


# --------------------------------------------------------------------------- encodings

_ENCODING_COLUMNS = {"ADM1_EN": "str:50", "ADM1_UA": "str:50", "ADM1_PCODE": "str:50"}


def _encoding_rows():
    shapes = _ukr_shapes()
    return [
        ({"ADM1_EN": u.name_en, "ADM1_UA": u.name_uk, "ADM1_PCODE": u.pcode}, shapes[u.iso])
        for u in UKR_UNITS
    ]


def write_shapefile_utf8_no_cpg(folder) -> Path:
    """Write a Shapefile whose .dbf is UTF-8 and which has no .cpg to say so.

    Parameters
    ----------
    folder : path-like
        Existing folder to write into.

    Returns
    -------
    pathlib.Path
        The ``.shp``; beside it ``.shx``, ``.dbf``, ``.prj`` and no ``.cpg``.
    """
    shp = _write(Path(folder) / "ukr_adm1_utf8.shp", "ESRI Shapefile", _ENCODING_COLUMNS,
                 _encoding_rows(), multi=False, encoding="utf-8")  # fmt: skip
    shp.with_suffix(".cpg").unlink()
    raw = shp.with_suffix(".dbf").read_bytes()
    if "Вінницька".encode() not in raw or raw[29] != 0:
        raise RuntimeError(f"{shp.with_suffix('.dbf')} does not hold UTF-8 names")
    return shp


def write_shapefile_cp1251(folder) -> Path:
    """Write a Shapefile whose .dbf is in Windows-1251, with a ``.cpg`` reading ``1251``.

    Parameters
    ----------
    folder : path-like
        Existing folder to write into.

    Returns
    -------
    pathlib.Path
        The ``.shp``; beside it ``.shx``, ``.dbf``, ``.prj`` and ``.cpg``.
    """
    shp = _write(Path(folder) / "ukr_adm1_cp1251.shp", "ESRI Shapefile", _ENCODING_COLUMNS,
                 _encoding_rows(), multi=False, encoding="cp1251")  # fmt: skip
    shp.with_suffix(".cpg").write_bytes(b"1251")
    if "Вінницька".encode("cp1251") not in shp.with_suffix(".dbf").read_bytes():
        raise RuntimeError(f"{shp.with_suffix('.dbf')} does not hold CP1251 names")
    return shp


# --------------------------------------------------------------------------- geoBoundaries


def write_geoboundaries_bih_adm2(folder, *, names: str = "local") -> Path:
    """Write a geoBoundaries-style ADM2 GeoJSON of Bosnia and Herzegovina.

    Twelve units: the Federation's 10 cantons, Republika Srpska and Brčko District,
    all labelled ADM2, with ``shapeISO`` empty. The shapes are stand-ins: the
    embedded Natural Earth cantons, Brčko, and Republika Srpska as the union of
    Natural Earth's seven RS regions (two parts, split by Brčko).

    Parameters
    ----------
    folder : path-like
        Existing folder to write into.
    names : {"local", "english"}
        ``shapeName`` in the local language or in English (see :data:`BIH_ADM2_NAMES`).

    Returns
    -------
    pathlib.Path
        ``geoBoundaries-BIH-ADM2.geojson``.
    """
    if names not in BIH_ADM2_NAMES:
        raise ValueError(f"names must be one of {sorted(BIH_ADM2_NAMES)}, not {names!r}")
    shapes = _admin1("adm1_code", [p for parts in BIH_ADM2_SOURCES for p in parts])
    rows = []
    for n, (name, parts) in enumerate(zip(BIH_ADM2_NAMES[names], BIH_ADM2_SOURCES, strict=True), 1):
        geom = shapely.union_all([shapes[p] for p in parts]) if len(parts) > 1 else shapes[parts[0]]
        props = {"shapeName": name, "shapeISO": "", "shapeID": f"BIH-ADM2-3_0_0-B{n}",
                 "shapeGroup": "BIH", "shapeType": "ADM2"}  # fmt: skip
        rows.append((props, geom))
    columns = {c: "str" for c in ("shapeName", "shapeISO", "shapeID", "shapeGroup", "shapeType")}
    return _write(Path(folder) / "geoBoundaries-BIH-ADM2.geojson", "GeoJSON", columns, rows,
                  multi=False)  # fmt: skip


# --------------------------------------------------------------------------- ministry


def write_ministry_ukr(folder) -> Path:
    """Write a GeoJSON of Ukraine's 27 units named only in Ukrainian, with KATOTTG codes.

    Properties: ``name`` ("Донецька область", "Автономна Республіка Крим",
    "м. Київ", "м. Севастополь"), ``katottg`` and ``category`` (KATOTTG's ``O``
    for oblasts and Crimea, ``K`` for the two cities), in KATOTTG order.

    Parameters
    ----------
    folder : path-like
        Existing folder to write into.

    Returns
    -------
    pathlib.Path
        ``ukr_oblasti_katottg.geojson``.
    """
    shapes = _ukr_shapes()
    rows = [
        (
            {
                "name": u.ministry,
                "katottg": u.katottg,
                "category": "K" if u.ministry.startswith("м. ") else "O",
            },
            shapes[u.iso],
        )
        for u in sorted(UKR_UNITS, key=lambda u: u.katottg)
    ]
    columns = {"name": "str", "katottg": "str", "category": "str"}
    return _write(Path(folder) / "ukr_oblasti_katottg.geojson", "GeoJSON", columns, rows,
                  multi=False)  # fmt: skip
