"""Conflict-event files as ACLED and UCDP publish them, built in code for the tests.

Three formats, each with the traits that make real files awkward to join to
admin-1 units:

* an ACLED export (CSV): 31 columns, every cell text, ``event_date`` written
  ISO, day-first with a time (a spreadsheet resave) or ``05 March 2022``;
  ``admin1`` in ACLED's spelling of Ukraine's oblasts; events at sea; coding
  slips (a point in the next oblast, or across the border in Russia); two
  overlapping downloads where ACLED revised an event in between;
* an ACLED API response (JSON): the same columns as strings inside
  ``{"status": 200, "success": true, ..., "data": [...]}``;
* a UCDP GED file as HDX republishes it: GED's 49 columns plus ``iso3``, an
  optional second line of HXL hashtags, ``adm_1`` in UCDP's older spellings
  (``Kiev oblast``, ``Odessa oblast``), dates written ``2014-05-02 00:00:00.000``.

Nothing is read from disk or the network. Coordinates are those of the named
settlements (4 decimals); where a trait needs a point elsewhere (at sea, across
a border) the row says so. ``EXPECTED_UNITS`` gives, for every event, the
embedded admin-1 unit (ISO 3166-2) its point lies in, measured once on the
embedded Natural Earth boundaries and written down here, so a test compares the
code under test with fixed answers rather than with a second run of the same
geometry.

Where the layouts come from (checked against public material):

* ACLED columns and their order, the API's JSON envelope (``status``,
  ``success``, ``last_update``, ``count``, ``messages``, ``data``,
  ``filename``), string values, ``\\/`` escapes and numeric ``inter1``/``inter2``/
  ``interaction`` codes: an API response for Ukraine from January 2024 kept as
  a test fixture in a public repository, and the acledR codebook pages
  (rdrr.io, ``acled_old_dummy``). Since 2024 ACLED can also return the actor
  types as text ("State forces"); these fixtures keep the numeric codes.
* GED columns: the 49-column layout of GED 23.1/24.1, as a public reader of
  the GED releases lists it (the uncertainUCDP docs also give 49 columns for
  the 2023 release).
* HDX files: OCHA-DAP/hdx-scraper-ucdp inserts ``iso3`` right after
  ``country`` and, in the versions that wrote HXL, tagged 16 columns
  (``UCDP_HXL``); its test fixture ``conflict_data_BGD.csv`` shows the tag line
  and that ``geom_wkt`` pads to 6 decimals while ``latitude``/``longitude`` are
  written as short as they go (``91.5``).
  ``priogrid_gid`` follows the PRIO-GRID numbering, checked against that
  fixture.

Inferred rather than confirmed: ACLED's CRLF line ends and minimal quoting;
the day-first ``dd/mm/yyyy 00:00:00`` resave; the ``.000`` time on GED dates;
``where_prec`` 7 for events at sea; UCDP's adm-1/adm-2 spellings for Ukraine.
Actor, conflict and dyad ids, sources and notes are made up in each
dataset's style and are not the datasets' own records.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_OVERLAP",
    "ACLED_REVISION",
    "ACLED_TRAITS",
    "EXPECTED_UNITS",
    "UCDP_COLUMNS",
    "UCDP_GED_COLUMNS",
    "UCDP_HXL",
    "UCDP_TRAITS",
    "acled_rows",
    "ucdp_rows",
    "write_acled_api_json",
    "write_acled_downloads",
    "write_acled_export",
    "write_ucdp_ged",
]

# --------------------------------------------------------------------------- ACLED

#: Columns of an ACLED export or API response, in order.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# (disorder_type, event_type, sub_event_type) by the short kind used below.
_KINDS = {
    "mine": ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "shelling": (
        "Political violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    "clash": ("Political violence", "Battles", "Armed clash"),
    "protest": ("Demonstrations", "Protests", "Peaceful protest"),
}

# ACLED's numeric actor types (inter1/inter2); 0 for no second actor.
_INTER = {
    "": "0",
    "Military Forces of Ukraine (2019-)": "1",
    "Unidentified Armed Group (Ukraine)": "3",
    "Protesters (Ukraine)": "6",
    "Civilians (Ukraine)": "7",
    "Military Forces of Russia (2000-)": "8",
}

_RU = "Military Forces of Russia (2000-)"
_UA = "Military Forces of Ukraine (2019-)"
_CIV = "Civilians (Ukraine)"
_UAG = "Unidentified Armed Group (Ukraine)"
_PROT = "Protesters (Ukraine)"


class _Acled(NamedTuple):
    event_id: str
    day: str  # ISO date
    kind: str
    actor1: str
    actor2: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    lat: str
    lon: str
    geo_precision: str
    source: str
    source_scale: str
    fatalities: str
    note: str  # the notes after "On <date>, "
    assoc2: str = ""
    tags: str = ""
    time_precision: str = "1"


# Oldest first here; acled_rows() returns them newest first, as ACLED does.
_ACLED_EVENTS = [
    # Kyiv oblast after the withdrawal. Bucha lies 0.4 km outside the embedded
    # Kiev City polygon; Irpin lies inside it (Natural Earth draws the city wide).
    _Acled(
        "UKR30112", "2022-04-09", "mine", _RU, _CIV, "Kyiv", "Buchanskyi", "Buchanska",
        "Bucha", "50.5435", "30.2125", "1", "Kyiv Regional Military Administration",
        "Subnational", "1",
        "a landmine left by Russian forces exploded in a private yard in Bucha "
        "(Buchanskyi, Kyiv), killing 1 civilian.",
    ),
    _Acled(
        "UKR30455", "2022-04-12", "mine", _RU, _CIV, "Kyiv", "Buchanskyi", "Irpinska",
        "Irpin", "50.5218", "30.2506", "1", "Suspilne Media", "National", "0",
        "a tripwire mine exploded near a residential building in Irpin (Buchanskyi, Kyiv). "
        "1 civilian was injured.",
    ),
    _Acled(
        "UKR30987", "2022-04-16", "mine", _RU, _CIV, "Kyiv", "Buchanskyi", "Borodianska",
        "Borodianka", "50.6448", "29.9228", "1", "Ukrainska Pravda", "National", "0",
        "an explosive device left by Russian forces detonated in Borodianka "
        "(Buchanskyi, Kyiv). 2 civilians were injured.",
    ),
    _Acled(
        "UKR32410", "2022-04-27", "mine", _RU, _CIV, "Kyiv", "Buchanskyi", "Makarivska",
        "Makariv", "50.4647", "29.8109", "2", "Kyiv Regional Military Administration",
        "Subnational", "2",
        "a car hit an anti-tank mine on a road near Makariv (Buchanskyi, Kyiv), "
        "killing 2 civilians.",
    ),
    _Acled(
        "UKR35118", "2022-05-21", "protest", _PROT, "", "Lviv", "Lvivskyi", "Lvivska",
        "Lviv", "49.8397", "24.0297", "1", "Zaxid.net", "Subnational", "0",
        "around 200 people held a rally in Lviv (Lvivskyi, Lviv) demanding the release "
        "of prisoners of war. [size=around 200]",
        tags="crowd size=around 200",
    ),
    _Acled(
        "UKR36207", "2022-06-02", "clash", _RU, _UA, "Donetsk", "Kramatorskyi",
        "Sviatohirska", "Sviatohirsk", "49.0333", "37.5667", "2",
        "Ministry of Defence of Russia; Ministry of Defence of Ukraine", "Other-National",
        "3",
        "Russian forces clashed with Ukrainian forces near Sviatohirsk "
        "(Kramatorskyi, Donetsk). 3 fatalities were reported.",
    ),
    _Acled(
        "UKR36502", "2022-06-05", "shelling", _RU, "", "Kyiv City", "Kyiv", "", "Kyiv",
        "50.4501", "30.5234", "1", "Ukrainska Pravda", "National", "0",
        "Russian forces launched missiles at Kyiv (Kyiv City); infrastructure in the "
        "Darnytskyi district was hit. 1 civilian was injured.",
    ),
    # At sea, about 3 km off the Odesa coast: in no embedded unit, admin1 Odesa.
    _Acled(
        "UKR41730", "2022-07-21", "mine", _UAG, "", "Odesa", "Odeskyi", "Odeska", "Odesa",
        "46.4300", "30.8300", "2", "Dumskaya", "Subnational", "0",
        "a drifting sea mine exploded off the coast near Odesa (Odeskyi, Odesa). "
        "No casualties were reported.",
    ),
    _Acled(
        "UKR43231", "2022-07-31", "mine", _UAG, _RU, "Crimea", "Sevastopol", "",
        "Sevastopol", "44.6054", "33.5220", "1", "Krym.Realii", "National", "0",
        "an explosive device detonated near a military facility in Sevastopol "
        '(Sevastopol, Crimea). 6 people were injured, according to the "governor".',
    ),
    # Open Black Sea, about 77 km from the nearest land unit.
    _Acled(
        "UKR43519", "2022-08-03", "mine", _UAG, _CIV, "", "", "", "Black Sea", "45.5000",
        "31.5000", "3", "Ministry of Defence of Ukraine", "Other", "1",
        "a cargo vessel struck a naval mine in the Black Sea. 1 crew member was killed.",
        time_precision="2",
    ),
    _Acled(
        "UKR45177", "2022-08-15", "shelling", _RU, _CIV, "Mykolaiv", "Mykolaivskyi",
        "Mykolaivska", "Mykolaiv", "46.9750", "31.9946", "1", "Suspilne Media",
        "National", "1",
        "Russian forces shelled Mykolaiv (Mykolaivskyi, Mykolaiv), killing 1 civilian.",
    ),
    # Coded Ukraine/Kharkiv, but the point lies in Belgorod oblast (Russia).
    _Acled(
        "UKR47720", "2022-08-29", "mine", _RU, _CIV, "Kharkiv", "Chuhuivskyi",
        "Starosaltivska", "Starytsia", "50.4086", "36.8878", "2",
        "Kharkiv Regional Military Administration", "Subnational", "0",
        "a civilian car hit a landmine near Starytsia (Chuhuivskyi, Kharkiv). "
        "2 civilians were injured.",
    ),
    _Acled(
        "UKR49850", "2022-09-10", "clash", _UA, _RU, "Kharkiv", "Iziumskyi", "Balakliiska",
        "Balakliia", "49.4627", "36.8586", "2", "Ministry of Defence of Ukraine", "Other",
        "2",
        "Ukrainian forces clashed with Russian forces in and around Balakliia "
        "(Iziumskyi, Kharkiv). 2 fatalities were reported.",
    ),
    # Coded Kharkiv, but Druzhkivka lies about 37 km inside Donetsk oblast.
    _Acled(
        "UKR50288", "2022-09-14", "mine", _RU, _CIV, "Kharkiv", "Iziumskyi", "",
        "Druzhkivka", "48.6203", "37.5277", "1", "Suspilne Media", "National", "0",
        "a landmine exploded on a field road near Druzhkivka (Kramatorskyi, Donetsk), "
        "injuring 1 civilian.",
    ),
    _Acled(
        "UKR52915", "2022-10-03", "mine", _RU, _CIV, "Kharkiv", "Iziumskyi", "Iziumska",
        "Izium", "49.2128", "37.2569", "1", "Kharkiv Regional Military Administration",
        "Subnational", "1",
        "a civilian collecting firewood in a forest near Izium (Iziumskyi, Kharkiv) "
        "was killed by a landmine.",
    ),
    # admin1 left empty on a land point (Zaporizhzhia oblast).
    _Acled(
        "UKR55408", "2022-10-25", "mine", _RU, _CIV, "", "", "", "Orikhiv", "47.5678",
        "35.7852", "2", "Suspilne Media", "National", "1",
        "an anti-personnel mine exploded near Orikhiv, killing 1 civilian.",
    ),
    _Acled(
        "UKR56561", "2022-10-31", "mine", _RU, _CIV, "Kharkiv", "Kupianskyi",
        "Kupianska", "Kupiansk", "49.7106", "37.6156", "2", "Ukrainska Pravda",
        "National", "0",
        'a "petal" mine (PFM-1) exploded on a street in Kupiansk (Kupianskyi, Kharkiv). '
        "1 civilian was injured.",
    ),
    _Acled(
        "UKR58640", "2022-11-17", "mine", _RU, "", "Mykolaiv", "Bashtanskyi",
        "Snihurivska", "Snihurivka", "47.0748", "32.8060", "2", "Suspilne Media",
        "National", "0",
        "a landmine exploded in a field near Snihurivka (Bashtanskyi, Mykolaiv). "
        "No casualties were reported.",
    ),
    _Acled(
        "UKR59233", "2022-11-26", "shelling", _RU, _CIV, "Kherson", "Khersonskyi",
        "Khersonska", "Kherson", "46.6558", "32.6178", "1",
        "Kherson Regional Military Administration", "Subnational", "2",
        "Russian forces shelled Kherson (Khersonskyi, Kherson), killing 2 civilians.",
    ),
    # Revised by ACLED after the first download: see ACLED_REVISION.
    _Acled(
        "UKR60912", "2022-12-08", "mine", _RU, _CIV, "Kherson", "Beryslavskyi",
        "Vysokopilska", "Vysokopillia", "47.4870", "33.5310", "2", "Suspilne Media",
        "National", "1",
        "a tractor hit an anti-tank mine in a field near Vysokopillia "
        "(Beryslavskyi, Kherson), killing 1 farmer and injuring another.",
        assoc2="Farmers (Ukraine)",
    ),
    # Sea of Azov, about 57 km from the nearest land unit.
    _Acled(
        "UKR62044", "2022-12-19", "mine", _UAG, "", "", "", "", "Sea of Azov", "46.1000",
        "36.4000", "3", "Ministry of Defence of Ukraine", "Other", "0",
        "a naval mine exploded in the Sea of Azov. No casualties were reported.",
        time_precision="2",
    ),
    _Acled(
        "UKR64120", "2023-01-07", "protest", _PROT, "", "Odesa", "Odeskyi", "Odeska",
        "Odesa", "46.4825", "30.7233", "1", "Dumskaya", "Subnational", "0",
        "residents held a peaceful protest in Odesa (Odeskyi, Odesa) against power cuts. "
        "[size=no report]",
        tags="crowd size=no report",
    ),
    _Acled(
        "UKR66977", "2023-01-24", "mine", _RU, _CIV, "Donetsk", "Kramatorskyi",
        "Lymanska", "Lyman", "48.9889", "37.8025", "2", "Donetsk Regional Military Administration",
        "Subnational", "1",
        "a civilian was killed when a mine exploded in a garden near Lyman "
        "(Kramatorskyi, Donetsk).",
    ),
    _Acled(
        "UKR68455", "2023-02-11", "mine", _RU, _CIV, "Chernihiv", "Chernihivskyi",
        "Chernihivska", "Chernihiv", "51.4982", "31.2893", "1", "Suspilne Media",
        "National", "0",
        "an unexploded shell detonated while residents cleared debris in Chernihiv "
        "(Chernihivskyi, Chernihiv). 1 civilian was injured.",
    ),
    _Acled(
        "UKR70150", "2023-02-27", "mine", _RU, _CIV, "Sumy", "Okhtyrskyi",
        "Trostianetska", "Trostianets", "50.4806", "34.9630", "2",
        "Sumy Regional Military Administration", "Subnational", "0",
        "a landmine exploded near Trostianets (Okhtyrskyi, Sumy), injuring 2 civilians.",
    ),
    _Acled(
        "UKR72302", "2023-03-16", "mine", _RU, _CIV, "Zaporizhia", "Polohivskyi",
        "Huliaipilska", "Huliaipole", "47.6640", "36.2560", "2", "Suspilne Media",
        "National", "1",
        "a civilian car hit a landmine near Huliaipole (Polohivskyi, Zaporizhia), "
        "killing 1 civilian.",
    ),
]  # fmt: skip

#: Event ids of acled_rows() that carry each trait.
ACLED_TRAITS: dict[str, list[str]] = {
    # admin1 "Kyiv": points in Kyiv oblast outside the city.
    "kyiv_oblast": ["UKR30112", "UKR30987", "UKR32410"],
    # admin1 "Kyiv" (the oblast) although the embedded Kiev City unit covers the point.
    "kyiv_oblast_in_city_unit": ["UKR30455"],
    "kyiv_city": ["UKR36502"],
    "crimea_sevastopol": ["UKR43231"],
    # admin1 "Kharkiv", point about 37 km inside Donetsk oblast.
    "neighbour_40km": ["UKR50288"],
    # Every event at sea; then split by distance to land.
    "sea": ["UKR41730", "UKR43519", "UKR62044"],
    "sea_far": ["UKR43519", "UKR62044"],
    "sea_near_coast": ["UKR41730"],
    "empty_admin1": ["UKR55408"],
    "other_country": ["UKR47720"],
    "protest": ["UKR35118", "UKR64120"],
    "duplicate_update": ["UKR60912"],
    # notes with a double quote: quoted and doubled in the CSV.
    "quote_in_notes": ["UKR43231", "UKR56561"],
    # Within 1 km of another embedded unit (Bucha: the Kiev City unit).
    "near_unit_border": ["UKR30112"],
}

#: Events both files of write_acled_downloads() hold.
ACLED_OVERLAP = ["UKR58640", "UKR59233", "UKR60912", "UKR62044"]

#: What ACLED changed in the revised event (the second download's values).
ACLED_REVISION: dict[str, dict[str, str]] = {
    "UKR60912": {
        "fatalities": "2",
        "notes": "On 8 December 2022, a tractor hit an anti-tank mine in a field near "
        "Vysokopillia (Beryslavskyi, Kherson), killing 2 farmers; the second died "
        "of his wounds in hospital.",
        "timestamp": "1673532344",  # 12 January 2023, 14:05:44 UTC
    }
}

# The two downloads: the first ends, the second starts, on these days.
_FIRST_UNTIL = "2022-12-19"
_SECOND_FROM = "2022-11-17"


def _long_date(day: date) -> str:
    """Write a date as ACLED's notes do: ``8 December 2022``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _timestamp(day: date) -> str:
    """Return the Unix time ACLED added an event: eight days later, 14:05:44 UTC."""
    added = datetime(day.year, day.month, day.day, 14, 5, 44, tzinfo=timezone.utc)
    return str(int((added + timedelta(days=8)).timestamp()))


def _acled_row(event: _Acled) -> dict[str, str]:
    day = date.fromisoformat(event.day)
    disorder, event_type, sub_event_type = _KINDS[event.kind]
    inter1, inter2 = _INTER[event.actor1], _INTER[event.actor2]
    interaction = inter1 + "0" if inter2 == "0" else "".join(sorted(inter1 + inter2))
    return {
        "event_id_cnty": event.event_id,
        "event_date": event.day,
        "year": str(day.year),
        "time_precision": event.time_precision,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": event.actor1,
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": event.actor2,
        "assoc_actor_2": event.assoc2,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if event.actor2 == _CIV else "",
        "iso": "804",
        "region": "Europe",
        "country": "Ukraine",
        "admin1": event.admin1,
        "admin2": event.admin2,
        "admin3": event.admin3,
        "location": event.location,
        "latitude": event.lat,
        "longitude": event.lon,
        "geo_precision": event.geo_precision,
        "source": event.source,
        "source_scale": event.source_scale,
        "notes": f"On {_long_date(day)}, {event.note}",
        "fatalities": event.fatalities,
        "tags": event.tags,
        "timestamp": _timestamp(day),
    }


def acled_rows() -> list[dict[str, str]]:
    """Return the ACLED events for Ukraine, newest first, every value a string.

    Returns
    -------
    list of dict
        One dict per event, keys in ``ACLED_COLUMNS`` order, ``event_date`` ISO.

    Examples
    --------
    >>> rows = acled_rows()
    >>> len(rows), list(rows[0]) == ACLED_COLUMNS
    (26, True)
    """
    return [_acled_row(e) for e in reversed(_ACLED_EVENTS)]


def _format_date(iso: str, style: str) -> str:
    day = date.fromisoformat(iso)
    if style == "iso":
        return iso
    if style == "dmy_time":
        return f"{day.day:02d}/{day.month:02d}/{day.year} 00:00:00"
    if style == "long":
        return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"
    raise ValueError(f"unknown date_style {style!r}: expected 'iso', 'dmy_time' or 'long'")


def _ambiguous(row: dict[str, str]) -> dict[str, str]:
    """Move an event to a day of the month <= 12 (its notes follow)."""
    old = date.fromisoformat(row["event_date"])
    new = old.replace(day=(old.day - 1) % 12 + 1)
    notes = row["notes"].replace(f"On {_long_date(old)},", f"On {_long_date(new)},", 1)
    return {**row, "event_date": new.isoformat(), "notes": notes}


def _write_rows(path: Path, columns: list[str], rows, extra_line=None) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(columns)
        if extra_line is not None:
            writer.writerow(extra_line)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return path


def write_acled_export(
    folder,
    rows: list[dict[str, str]] | None = None,
    date_style: str = "dmy_time",
    name: str = "acled_ukraine.csv",
    ambiguous_dates: bool = False,
) -> Path:
    """Write an ACLED export (UTF-8 CSV, CRLF line ends, quoted where needed).

    Parameters
    ----------
    folder : path-like
        Folder to write into (must exist).
    rows : list of dict, optional
        Rows with ISO ``event_date``; ``acled_rows()`` when omitted.
    date_style : {"dmy_time", "iso", "long"}
        ``05/03/2022 00:00:00`` (a spreadsheet resave), ``2022-03-05`` or
        ``05 March 2022`` (older exports).
    name : str
        File name.
    ambiguous_dates : bool
        Move every event to a day <= 12, so day-first and month-first readings
        both give valid dates.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    rows = acled_rows() if rows is None else rows
    if ambiguous_dates:
        rows = [_ambiguous(r) for r in rows]
    rows = [{**r, "event_date": _format_date(r["event_date"], date_style)} for r in rows]
    return _write_rows(Path(folder) / name, ACLED_COLUMNS, rows)


def write_acled_downloads(folder, date_style: str = "iso") -> tuple[Path, Path]:
    """Write two ACLED downloads that overlap, the second holding a revised event.

    The first covers events up to 19 December 2022, the second those from
    17 November 2022 on; the events of ``ACLED_OVERLAP`` are in both. In the
    second, ACLED has revised ``ACLED_TRAITS["duplicate_update"]``
    (``ACLED_REVISION``: more fatalities, new notes, a later ``timestamp``).

    Parameters
    ----------
    folder : path-like
        Folder to write into (must exist).
    date_style : {"iso", "dmy_time", "long"}
        How ``event_date`` is written (see :func:`write_acled_export`).

    Returns
    -------
    tuple of pathlib.Path
        The older download, then the newer one.
    """
    rows = acled_rows()
    first = [r for r in rows if r["event_date"] <= _FIRST_UNTIL]
    second = [
        {**r, **ACLED_REVISION.get(r["event_id_cnty"], {})}
        for r in rows
        if r["event_date"] >= _SECOND_FROM
    ]
    first_name = f"{min(r['event_date'] for r in first)}-{_FIRST_UNTIL}-Ukraine.csv"
    second_name = f"{_SECOND_FROM}-{max(r['event_date'] for r in second)}-Ukraine.csv"
    return (
        write_acled_export(folder, first, date_style, first_name),
        write_acled_export(folder, second, date_style, second_name),
    )


def write_acled_api_json(
    folder, rows: list[dict[str, str]] | None = None, name: str = "acled_api.json"
) -> Path:
    """Write an ACLED API response (``/acled/read``, JSON) holding ``rows``.

    Every value in ``data`` is a string and ``event_date`` is ISO, as the API
    returns them; the text is compact, ASCII-only and escapes ``/`` as ``\\/``
    (``"Explosions\\/Remote violence"``), as the API's encoder does.

    Parameters
    ----------
    folder : path-like
        Folder to write into (must exist).
    rows : list of dict, optional
        Rows with ISO ``event_date``; ``acled_rows()`` when omitted.
    name : str
        File name.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    rows = acled_rows() if rows is None else rows
    data = [{c: str(r.get(c, "")) for c in ACLED_COLUMNS} for r in rows]
    days = sorted(r["event_date"] for r in data) or [""]
    response = {
        "status": 200,
        "success": True,
        "last_update": 37,
        "count": len(data),
        "messages": [],
        "data": data,
        "filename": f"{days[0]}-{days[-1]}-Ukraine",
    }
    text = json.dumps(response, ensure_ascii=True, separators=(",", ":"))
    path = Path(folder) / name
    path.write_text(text.replace("/", "\\/"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- UCDP GED

#: The 49 columns of a UCDP GED file (versions 23.1 and 24.1), in order.
UCDP_GED_COLUMNS = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
]

#: The 50 columns of HDX's per-country GED file: HDX inserts ``iso3`` after ``country``.
UCDP_COLUMNS = [
    *UCDP_GED_COLUMNS[: UCDP_GED_COLUMNS.index("country") + 1],
    "iso3",
    *UCDP_GED_COLUMNS[UCDP_GED_COLUMNS.index("country") + 1 :],
]

#: The HXL hashtag of each tagged column (16; the others are left blank). All 16
#: are as HDX's UCDP scraper wrote them (OCHA-DAP/hdx-scraper-ucdp, ucdp.py), and its
#: conflict_data_BGD.csv fixture shows the line under the header. ``id`` carries no
#: tag, and ``#loc+name`` tags ``where_coordinates``, not ``where_description``.
UCDP_HXL = {
    "year": "#date+year",
    "side_a": "#group+name+first",
    "side_b": "#group+name+second",
    "source_article": "#meta+source",
    "source_headline": "#description",
    "where_coordinates": "#loc+name",
    "adm_1": "#adm1+name",
    "adm_2": "#adm2+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "country": "#country+name",
    "iso3": "#country+code",
    "region": "#region+name",
    "date_start": "#date+start",
    "date_end": "#date+end",
    "best": "#affected+killed",
}

# Dyads: (type_of_violence, conflict id, conflict name, dyad id, side a id, side a,
# side b id, side b, gwnoa, gwnob). Ids are made up in UCDP's style.
_DYADS = {
    "ua_dpr": ("1", "14410", "Ukraine: Novorossiya", "15621", "125", "Government of Ukraine",
               "7013", "DPR", "369", ""),
    "ua_lpr": ("1", "14410", "Ukraine: Novorossiya", "15622", "125", "Government of Ukraine",
               "7014", "LPR", "369", ""),
    "ru_ua": ("1", "14522", "Russia - Ukraine", "15874", "57",
              "Government of Russia (Soviet Union)", "125", "Government of Ukraine", "365",
              "369"),
    "ua_civ": ("3", "14398", "Government of Ukraine - Civilians", "15609", "125",
               "Government of Ukraine", "1", "Civilians", "369", ""),
    "ru_civ": ("3", "14531", "Government of Russia (Soviet Union) - Civilians", "15883",
               "57", "Government of Russia (Soviet Union)", "1", "Civilians", "365", ""),
}  # fmt: skip


class _Ged(NamedTuple):
    event_id: str
    dyad: str
    start: str
    end: str
    date_prec: str
    where_prec: str
    where_coordinates: str
    where_description: str
    adm_1: str
    adm_2: str
    lat: str
    lon: str
    deaths: tuple[int, int, int, int]  # side a, side b, civilians, unknown
    low: int
    high: int
    office: str
    headline: str
    original: str
    event_clarity: str = "1"


_GED_EVENTS = [
    _Ged("196210", "ua_civ", "2014-01-22", "2014-01-22", "1", "1", "Kiev city",
         "Hrushevskoho street, central Kiev", "Kiev city", "", "50.4501", "30.5234",
         (0, 0, 2, 0), 2, 3, "Reuters", "Two protesters shot dead in Kiev clashes",
         "Ministry of Health"),
    _Ged("196388", "ua_dpr", "2014-05-02", "2014-05-02", "1", "1", "Slovyansk town",
         "Slovyansk and the checkpoints around it", "Donetsk oblast", "Slovyansk raion",
         "48.8523", "37.6053", (2, 3, 0, 0), 5, 9, "AFP",
         "Ukraine troops move on rebel-held Slavyansk", "Ministry of Interior"),
    _Ged("196402", "ua_dpr", "2014-05-09", "2014-05-09", "1", "1", "Mariupol town",
         "police headquarters, Mariupol", "Donetsk oblast", "Mariupol city", "47.0955",
         "37.5491", (1, 5, 1, 0), 7, 21, "BBC Monitoring", "Deadly clashes in Mariupol",
         "Ministry of Interior"),
    _Ged("196517", "ua_lpr", "2014-06-14", "2014-06-14", "1", "1", "Luhansk airport",
         "transport aircraft shot down on approach to Luhansk airport", "Luhansk oblast",
         "Lutuhyne raion", "48.4174", "39.3741", (49, 0, 0, 0), 49, 49, "Reuters",
         "Rebels down Ukrainian military plane in Luhansk", "Ministry of Defence"),
    _Ged("196733", "ua_dpr", "2014-07-27", "2014-07-27", "1", "1", "Horlivka town",
         "residential areas of Horlivka", "Donetsk oblast", "Horlivka raion", "48.3366",
         "38.0525", (0, 0, 5, 0), 5, 13, "Kyiv Post", "Civilians killed in Horlivka shelling",
         "city council"),
    _Ged("196841", "ua_dpr", "2014-08-24", "2014-08-31", "3", "2", "Ilovaysk town",
         "Ilovaysk and the roads south of it", "Donetsk oblast", "Amvrosiyivka raion",
         "47.9244", "38.1962", (120, 20, 0, 0), 120, 380, "Reuters",
         "Ukrainian units encircled near Ilovaysk", "Ministry of Defence",
         event_clarity="2"),
    _Ged("197105", "ua_dpr", "2015-02-09", "2015-02-18", "4", "2", "Debaltseve town",
         "Debaltseve and the salient around it", "Donetsk oblast", "Debaltseve raion",
         "48.3398", "38.4055", (136, 60, 0, 0), 196, 500, "AFP",
         "Ukraine pulls troops out of Debaltseve", "Ministry of Defence",
         event_clarity="2"),
    _Ged("201877", "ru_ua", "2022-03-01", "2022-03-01", "1", "1", "Kharkiv town",
         "regional administration building, Kharkiv", "Kharkiv oblast", "Kharkiv city",
         "49.9935", "36.2304", (0, 0, 10, 0), 10, 29, "Reuters",
         "Missile hits Kharkiv administration building", "regional governor"),
    _Ged("201912", "ru_ua", "2022-03-02", "2022-03-02", "1", "1", "Borodyanka town",
         "apartment blocks, Borodyanka", "Kiev oblast", "Borodyanka raion", "50.6448",
         "29.9228", (0, 0, 4, 0), 4, 12, "Ukrainska Pravda",
         "Air strikes on Borodyanka apartment blocks", "State Emergency Service"),
    _Ged("201950", "ru_ua", "2022-03-06", "2022-03-12", "3", "2", "Irpin town",
         "Irpin and the Romanivka bridge", "Kiev oblast", "Kiev-Svyatoshyn raion",
         "50.5218", "30.2506", (8, 10, 0, 0), 18, 40, "AFP", "Fighting for Irpin",
         "Ministry of Defence"),
    _Ged("202344", "ru_civ", "2022-04-08", "2022-04-08", "1", "1", "Kramatorsk town",
         "railway station, Kramatorsk", "Donetsk oblast", "Kramatorsk raion", "48.7237",
         "37.5564", (0, 0, 12, 0), 12, 12, "Reuters",
         "Missile strike on Kramatorsk railway station", "regional governor"),
    # At sea, in international waters off Odesa: no adm_1, where_prec 7.
    _Ged("202401", "ru_ua", "2022-04-13", "2022-04-14", "2", "7", "Black Sea",
         "Russian cruiser hit off the Odessa coast", "", "", "45.1500", "30.9000",
         (1, 0, 0, 0), 1, 40, "BBC Monitoring", "Russian flagship sinks in the Black Sea",
         "Ministry of Defence of Russia"),
    _Ged("202466", "ru_ua", "2022-04-23", "2022-04-23", "1", "1", "Odessa town",
         "residential building, Odessa", "Odessa oblast", "Odessa raion", "46.4775",
         "30.7326", (0, 0, 8, 0), 8, 8, "Reuters", "Missiles hit homes in Odesa",
         "presidential office"),
    # Only the country is known: UCDP's point for Ukraine, no adm_1, where_prec 6.
    _Ged("202790", "ru_ua", "2022-05-01", "2022-05-31", "5", "6", "Ukraine",
         "unspecified locations in Ukraine", "", "", "48.9000", "31.2000", (0, 12, 0, 3),
         15, 30, "Ministry of Defence of Ukraine", "Losses reported for May",
         "Ministry of Defence of Ukraine", event_clarity="2"),
    # Only the oblast is known: its point, no adm_2, where_prec 4.
    _Ged("203415", "ru_ua", "2022-09-07", "2022-09-12", "3", "4", "Kharkiv oblast",
         "counter-offensive in the east of the oblast", "Kharkiv oblast", "", "49.5000",
         "36.5000", (40, 25, 0, 0), 65, 200, "AFP", "Ukraine retakes towns in Kharkiv region",
         "Ministry of Defence"),
]  # fmt: skip

#: Event ids of ucdp_rows() that carry each trait.
UCDP_TRAITS: dict[str, list[str]] = {
    "sea": ["202401"],
    # adm_1 empty on land, where_prec 6 (country only).
    "country_level": ["202790"],
    # where_prec 4 (oblast only), adm_2 empty.
    "adm1_level": ["203415"],
    # UCDP's older spellings: Kiev, Odessa.
    "old_spelling": ["196210", "201912", "201950", "202466"],
    # adm_1 "Kiev oblast", but the embedded Kiev City unit covers the point.
    "kyiv_oblast_in_city_unit": ["201950"],
    "date_range": ["196841", "197105", "201950", "202401", "202790", "203415"],
    "one_sided": ["196210", "202344"],
    # Within 2 km of another embedded unit (Debaltseve: Luhansk oblast).
    "near_unit_border": ["197105"],
    "interstate": ["201877", "201912", "201950", "202401", "202466", "202790", "203415"],
}


def _priogrid(lat: float, lon: float) -> str:
    """Return the PRIO-GRID cell (half-degree, numbered from -90/-180 by rows of 720)."""
    row, col = int((lat + 90) // 0.5), int((lon + 180) // 0.5)
    return str(row * 720 + col + 1)


def _ged_row(event: _Ged) -> dict[str, str]:
    kind, conflict, conflict_name, dyad, a_id, side_a, b_id, side_b, gwnoa, gwnob = _DYADS[
        event.dyad
    ]
    lat, lon = float(event.lat), float(event.lon)
    year = event.start[:4]
    published = (date.fromisoformat(event.end) + timedelta(days=1)).isoformat()
    article = f'{event.office},{published},"{event.headline}"'
    return {
        "id": event.event_id,
        "relid": f"UKR-{year}-{kind}-{dyad}-{event.event_id[-3:]}",
        "year": year,
        "active_year": "1",
        "code_status": "Clear",
        "type_of_violence": kind,
        "conflict_dset_id": conflict,
        "conflict_new_id": conflict,
        "conflict_name": conflict_name,
        "dyad_dset_id": dyad,
        "dyad_new_id": dyad,
        "dyad_name": f"{side_a} - {side_b}",
        "side_a_dset_id": a_id,
        "side_a_new_id": a_id,
        "side_a": side_a,
        "side_b_dset_id": b_id,
        "side_b_new_id": b_id,
        "side_b": side_b,
        "number_of_sources": "1",
        "source_article": article,
        "source_office": event.office,
        "source_date": published,
        "source_headline": event.headline,
        "source_original": event.original,
        "where_prec": event.where_prec,
        "where_coordinates": event.where_coordinates,
        "where_description": event.where_description,
        "adm_1": event.adm_1,
        "adm_2": event.adm_2,
        "latitude": repr(lat),
        "longitude": repr(lon),
        "geom_wkt": f"POINT ({lon:.6f} {lat:.6f})",
        "priogrid_gid": _priogrid(lat, lon),
        "country": "Ukraine",
        "iso3": "UKR",
        "country_id": "369",
        "region": "Europe",
        "event_clarity": event.event_clarity,
        "date_prec": event.date_prec,
        "date_start": f"{event.start} 00:00:00.000",
        "date_end": f"{event.end} 00:00:00.000",
        "deaths_a": str(event.deaths[0]),
        "deaths_b": str(event.deaths[1]),
        "deaths_civilians": str(event.deaths[2]),
        "deaths_unknown": str(event.deaths[3]),
        "best": str(sum(event.deaths)),
        "high": str(event.high),
        "low": str(event.low),
        "gwnoa": gwnoa,
        "gwnob": gwnob,
    }


def ucdp_rows() -> list[dict[str, str]]:
    """Return the UCDP GED events for Ukraine (2014-2022), every value a string.

    Returns
    -------
    list of dict
        One dict per event, keys in ``UCDP_COLUMNS`` order (with HDX's ``iso3``).

    Examples
    --------
    >>> rows = ucdp_rows()
    >>> len(rows), rows[1]["date_start"], rows[1]["geom_wkt"]
    (15, '2014-05-02 00:00:00.000', 'POINT (37.605300 48.852300)')
    """
    return [_ged_row(e) for e in _GED_EVENTS]


def write_ucdp_ged(folder, hxl: bool = True, name: str = "ucdp_ged_ukraine.csv") -> Path:
    """Write the UCDP GED events as HDX's file for Ukraine (50 columns, UTF-8 CSV).

    Parameters
    ----------
    folder : path-like
        Folder to write into (must exist).
    hxl : bool
        Add the line of HXL hashtags under the header, as the HDX files carried
        (16 columns tagged, see ``UCDP_HXL``).
    name : str
        File name.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    tags = [UCDP_HXL.get(c, "") for c in UCDP_COLUMNS] if hxl else None
    return _write_rows(Path(folder) / name, UCDP_COLUMNS, ucdp_rows(), tags)


# --------------------------------------------------------------------------- answers

#: The embedded admin-1 unit (ISO 3166-2) each event's point lies in; "" for none.
#: Measured once with geo.boundary_sets.embedded("admin1").units_at on the points above.
EXPECTED_UNITS: dict[str, str] = {
    # ACLED
    "UKR30112": "UA-32",  # Bucha: 0.4 km outside the Kiev City unit
    "UKR30455": "UA-30",  # Irpin: admin1 "Kyiv", inside the Kiev City unit
    "UKR30987": "UA-32",
    "UKR32410": "UA-32",
    "UKR35118": "UA-46",
    "UKR36207": "UA-14",
    "UKR36502": "UA-30",
    "UKR41730": "",  # at sea, 3.1 km from Odesa oblast
    "UKR43231": "UA-40",  # admin1 "Crimea", point in Sevastopol
    "UKR43519": "",  # at sea, 77 km from the nearest unit (Crimea)
    "UKR45177": "UA-48",
    "UKR47720": "RU-BEL",  # country "Ukraine", admin1 "Kharkiv"
    "UKR49850": "UA-63",
    "UKR50288": "UA-14",  # admin1 "Kharkiv", 37 km from Kharkiv oblast
    "UKR52915": "UA-63",
    "UKR55408": "UA-23",  # admin1 empty
    "UKR56561": "UA-63",
    "UKR58640": "UA-48",
    "UKR59233": "UA-65",
    "UKR60912": "UA-65",
    "UKR62044": "",  # at sea, 57 km from the nearest unit (Zaporizhzhia)
    "UKR64120": "UA-51",
    "UKR66977": "UA-14",
    "UKR68455": "UA-74",
    "UKR70150": "UA-59",
    "UKR72302": "UA-23",
    # UCDP GED
    "196210": "UA-30",
    "196388": "UA-14",
    "196402": "UA-14",
    "196517": "UA-09",
    "196733": "UA-14",
    "196841": "UA-14",
    "197105": "UA-14",  # Debaltseve: 1.6 km from Luhansk oblast
    "201877": "UA-63",
    "201912": "UA-32",
    "201950": "UA-30",  # Irpin: adm_1 "Kiev oblast", inside the Kiev City unit
    "202344": "UA-14",
    "202401": "",  # at sea, 94 km from the nearest unit (Tulcea, Romania)
    "202466": "UA-51",
    "202790": "UA-71",  # UCDP's point for the whole country
    "203415": "UA-63",
}
