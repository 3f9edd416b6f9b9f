"""Area and count values checked for plausibility, normalised to km², and against their unit.

A value larger than its unit allows is a unit or typing error, never a figure:
:func:`implausible` bounds every value by its unit (the Earth's land area for
areas, a thousand million for counts); :func:`normalise_area` gives each
record's value in km²; :func:`over_unit` rejects an area of land larger than
the unit it is assigned to. :mod:`layers.validate` applies them to rows.
"""

from __future__ import annotations

import pandas as pd

from geo.area import AREA_UNITS_KM2, to_km2
from geo.errors import REJECT_COLUMNS, reject
from layers.frames import rows_of

__all__ = [
    "EARTH_LAND_KM2",
    "LAND_STATUSES",
    "MAX_COUNT",
    "MAX_PERCENT_OF_UNIT",
    "MAX_SHARE_OF_UNIT",
    "MAX_TONNES",
    "NO_AREA",
    "implausible",
    "normalise_area",
    "over_unit",
]

#: Land area of the Earth, km² (148,940,000 km²). No area of land can be larger,
#: whatever its unit: a larger value is a unit error (m² or ha written as km²) or a
#: typing error. Compared after conversion to km², so it holds for every area unit.
EARTH_LAND_KM2 = 148_940_000.0

#: Largest count accepted (casualties, killed, injured, children, attacks, quantity,
#: devices destroyed, personnel...): a thousand million. Casualties are counted in
#: thousands a year worldwide, and the largest stockpile in the default data, Russia's
#: 46 million anti-personnel mines in 2000, is a twentieth of it: a larger count is a
#: typing error, or a figure in the wrong column.
MAX_COUNT = 1_000_000_000

#: Largest mass accepted, in tonnes (clearance ``mass_removed``): a thousand million
#: tonnes, orders of magnitude above any mass of ordnance or scrap a clearance figure
#: reports (the default data's is 9 t): a larger value is a typing or unit error.
MAX_TONNES = 1e9

#: Largest value accepted with ``value_unit`` percent_of_unit: the whole unit.
MAX_PERCENT_OF_UNIT = 100.0

#: Largest share of its unit an area of land may cover once measured (1: the whole
#: unit). A contamination figure larger than the unit it is assigned to is a unit
#: error, or a figure assigned to the wrong unit. Compared with a relative margin of
#: 1e-6, for rounding only: a figure equal to the unit's area is accepted.
MAX_SHARE_OF_UNIT = 1.0

#: Contamination statuses whose figure is an area of land within the record's unit
#: (checked against :data:`MAX_SHARE_OF_UNIT`).
LAND_STATUSES = (
    "estimate",
    "remaining_to_clear",
    "suspected_hazardous_area",
    "confirmed_hazardous_area",
)

#: Contamination statuses that take no value.
NO_AREA = ("not_known", "none")

#: How each value unit is written in messages.
_UNIT_TEXT = {"km2": "km²", "m2": "m²", "sq_mi": "sq mi", "acre": "acres", "percent_of_unit": "%"}


def _amount(value: float) -> str:
    """Write a figure for a message: digits grouped, exponent only when huge.

    Examples
    --------
    >>> _amount(250000000.0), _amount(12.5), _amount(1e308), _amount(10**30)
    ('250,000,000', '12.5', '1e+308', '1e+30')
    """
    return f"{value:,.15g}"


def implausible(value: float, unit: str) -> tuple[str, str] | None:
    """Return (reason, fix) when a figure is beyond the bound of its unit, else None.

    The one place the plausible bounds are applied: areas (every area unit,
    after conversion to km²) against :data:`EARTH_LAND_KM2`, percent of the unit
    against :data:`MAX_PERCENT_OF_UNIT`, counts against :data:`MAX_COUNT`, tonnes
    against :data:`MAX_TONNES`.

    Parameters
    ----------
    value : float
        The figure, finite and not negative.
    unit : str
        Its unit: an area unit, ``percent_of_unit``, ``count`` or ``tonnes``.

    Examples
    --------
    >>> implausible(25000, "ha") is None
    True
    >>> implausible(2e10, "ha")[0]
    '20,000,000,000 ha (200,000,000 km²) is more than the land area of the Earth \
(148,940,000 km²): no area of land can be larger'
    >>> implausible(2e9, "count")[0]
    '2,000,000,000 is more than 1,000,000,000, the largest count accepted: no count of \
casualties, devices or munitions comes near it'
    """
    if unit in AREA_UNITS_KM2:
        km2 = to_km2(value, unit)
        if km2 <= EARTH_LAND_KM2:
            return None
        in_km2 = "" if unit == "km2" else f" ({_amount(km2)} km²)"
        return (
            f"{_amount(value)} {_UNIT_TEXT.get(unit, unit)}{in_km2} is more than the land area "
            f"of the Earth ({_amount(EARTH_LAND_KM2)} km²): no area of land can be larger",
            "check the value and its unit (m² or ha given as km²?)",
        )
    if unit == "percent_of_unit" and value > MAX_PERCENT_OF_UNIT:
        return (
            f"{_amount(value)} % of the unit is more than the whole unit "
            f"({_amount(MAX_PERCENT_OF_UNIT)} %)",
            "check the value: a share of the unit is at most 100",
        )
    if unit == "count" and value > MAX_COUNT:
        return (
            f"{_amount(value)} is more than {_amount(MAX_COUNT)}, the largest count accepted: "
            "no count of casualties, devices or munitions comes near it",
            "check the value (a typing error, or a figure from another column?)",
        )
    if unit == "tonnes" and value > MAX_TONNES:
        return (
            f"{_amount(value)} t is more than {_amount(MAX_TONNES)} t, the largest mass "
            "accepted: no clearance removes that much",
            "check the value and its unit (kilograms written as tonnes?)",
        )
    return None


def normalise_area(records: pd.DataFrame) -> pd.Series:
    """Each record's value in km² (NaN where the unit is not an area unit)."""

    def one(value, unit):
        if pd.isna(value) or unit not in AREA_UNITS_KM2:
            return float("nan")
        return to_km2(value, unit)

    return pd.Series(
        [one(v, u) for v, u in zip(records["value"], records["value_unit"], strict=True)],
        index=records.index,
        dtype=float,
    )


def _percent(share: float) -> str:
    """Write a share as a percentage for a message, never rounded down to 100.

    Examples
    --------
    >>> _percent(12.34), _percent(1.003), _percent(1.0000004)
    ('1,234', '100.3', '100.0')
    """
    pct = share * 100
    return f"{pct:,.0f}" if pct >= 101 else repr(round(pct, 4))


def over_unit(records: pd.DataFrame, path: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split measured contamination records into those that fit their unit and rejects.

    A figure whose status is an area of land (:data:`LAND_STATUSES`) cannot
    cover more than its unit: a ``share_of_unit`` (``area_km2 / unit_area_km2``,
    see :func:`layers.join.measure`) above :data:`MAX_SHARE_OF_UNIT` is rejected
    on ``value``, with the value as read.

    Parameters
    ----------
    records : pandas.DataFrame
        Records measured by :func:`layers.join.measure`; others are returned whole.
    path : str
        File the records come from, for the rejects.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The records kept, and the rejects (:data:`geo.errors.REJECT_COLUMNS` first).

    Examples
    --------
    >>> rec = {"row": 2, "record_id": "r", "status": "estimate", "value": 25000.0,
    ...        "value_unit": "km2", "area_km2": 25000.0, "unit_code": "RU-CE",
    ...        "unit_name": "Chechnya", "unit_area_km2": 16170.6, "share_of_unit": 1.546}
    >>> kept, rejects = over_unit(pd.DataFrame([rec]), "c.csv")
    >>> len(kept), rejects.loc[0, "received"]
    (0, '25000')
    >>> rejects.loc[0, "reason"]
    "25,000 km² is 155 % of the unit's area (16,171 km², RU-CE Chechnya): an area of land \
in a unit cannot be larger than the unit"
    """
    if "share_of_unit" not in records.columns or "status" not in records.columns:
        return records, pd.DataFrame(columns=REJECT_COLUMNS)
    limit = MAX_SHARE_OF_UNIT * (1 + 1e-6)
    over = records["status"].isin(LAND_STATUSES) & records["share_of_unit"].gt(limit)
    problems = []
    for rec in rows_of(records[over]):
        unit = rec["value_unit"]
        written = f"{_amount(rec['value'])} {_UNIT_TEXT.get(unit, unit)}"
        if unit != "km2":
            written += f" ({_amount(round(rec['area_km2'], 3))} km²)"
        code, name = rec["unit_code"], rec.get("unit_name") or ""
        label = f"{code} {name}" if name and name != code else code
        problems.append(
            reject(
                path,
                rec["row"],
                "value",
                f"{rec['value']:.15g}",
                f"{written} is {_percent(rec['share_of_unit'])} % of the unit's area "
                f"({rec['unit_area_km2']:,.0f} km², {label}): an area of land "
                "in a unit cannot be larger than the unit",
                "check the value and its unit (ha given as km²?) and the unit the record is "
                "assigned to; for the whole unit, give 100 with value_unit percent_of_unit",
                rec,
            )
        )
    rejects = pd.DataFrame(problems) if problems else pd.DataFrame(columns=REJECT_COLUMNS)
    return records[~over], rejects
