"""The land release map: units shaded by the land still hazardous, each with its release as a bar.

Each unit is shaded by the area remaining at the end of its latest period (the
highest figure where sources of that period differ, the tooltip says so); its
popup gives every row of the land release table (each period and source) with
a stacked bar of cancelled, reduced, cleared and remaining land. A unit whose
figures do not add up is outlined in dashes, and its popup says why.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.boundary_sets import BoundarySet, embedded
from layers import land_release
from layers.frames import rows_of
from maps.base import Legend, NothingToDraw, add_background, display_bounds, new_map
from maps.choropleth import Outline, classify, polygon_layer
from maps.place_labels import PlaceLabels
from maps.popups import km2_text
from maps.safehtml import escape
from maps.stacked import RELEASE_PARTS, stacked_bar

__all__ = ["land_release_map"]

_FLAG = "#b2182b"


def _period_block(row: dict) -> str:
    figures = [("Estimate at the start", km2_text(row["estimate_km2"])),
               *[(label, km2_text(row[col])) for col, label, _ in RELEASE_PARTS]]  # fmt: skip
    if row["remaining_basis"] and row["remaining_basis"] != "reported":
        figures[-1] = (f"Remaining ({row['remaining_basis']})", figures[-1][1])
    cells = "".join(f"<tr><th>{escape(a)}</th><td>{escape(b)}</td></tr>" for a, b in figures if b)
    flag = (f'<p class="mm-flag"><b>Does not add up:</b> {escape(row["check"])}</p>'
            if row["check"] else "")  # fmt: skip
    return (
        f"<h4>{escape(row['period'] or 'no date')}: {escape(row['source'])}</h4>"
        f"{stacked_bar(row, key=False)}<table>{cells}</table>{flag}"
        f"<p>Records: {escape(row['records'])}</p>"
    )


def _unit_texts(name: str, rows: list[dict]) -> tuple[str, str, float, bool]:
    """Tooltip, popup, fill (remaining at the latest period), and whether a row is flagged."""
    latest = rows[-1]["period"]
    last = [r for r in rows if r["period"] == latest]
    left = [r["remaining_km2"] for r in last if not np.isnan(r["remaining_km2"])]
    value = max(left) if left else float("nan")
    differ = len({round(v, 6) for v in left}) > 1
    tip = f"<b>{escape(name)}</b>: {escape(km2_text(value) or 'no remaining figure')} remaining"
    tip += f" ({escape(latest)})" if latest else ""
    if differ:
        tip += (
            f"; {len(left)} sources differ ({escape(km2_text(min(left)))} – "
            f"{escape(km2_text(max(left)))})"
        )
    flagged = any(r["check"] for r in rows)
    if flagged:
        tip += "; figures do not add up"
    blocks = "".join(_period_block(r) for r in rows)
    popup = f'<div class="mm-detail"><h4>{escape(name)}</h4>{blocks}</div>'
    return tip, popup, value, flagged


def land_release_map(
    records: pd.DataFrame,
    *,
    title: str = "Land release: cancelled, reduced, cleared and remaining",
    boundary_set: BoundarySet | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Draw reported land release by unit (see the module's docstring)."""
    table = land_release.reported(records, "admin1").table
    if table.empty:
        raise NothingToDraw("no figure of a unit below the country (country figures are in the "
                            "summary by admin0)")  # fmt: skip
    bset = boundary_set if boundary_set is not None else embedded("admin1")
    rows = []
    for unit, group in table.groupby("unit", sort=True):
        recs = rows_of(group)
        tip, popup, value, flagged = _unit_texts(str(recs[0]["name"]), recs)
        rows.append({"code": unit, "name": str(recs[0]["name"]), "tooltip_html": tip,
                     "popup_html": popup, "value": value, "flagged": flagged})  # fmt: skip
    texts = pd.DataFrame(rows)
    units = bset.frame[bset.frame["code"].isin(texts["code"])][["code", "geometry"]]
    units = units.dissolve(by="code", as_index=False).merge(texts, on="code")
    frame = gpd.GeoDataFrame(units, geometry="geometry", crs="EPSG:4326")
    valued = frame["value"].ge(0)  # a remaining area below 0 is flagged, and has no class
    colours, legend = classify(frame.loc[valued, "value"].to_numpy(),
                               palette="YlOrRd", unit=" km²")  # fmt: skip
    fills = pd.Series("#cccccc", index=frame.index, dtype=object)
    fills[valued] = colours
    bounds = display_bounds(frame)
    fmap = new_map(bounds, title=title, tiles=tiles,
                   subtitle="Fill: land remaining hazardous at the end of the latest period. "
                   "Click a unit for its land release, period by period.")  # fmt: skip
    add_background(fmap, bounds)
    polygon_layer(
        frame[["tooltip_html", "popup_html", "geometry"]], name="Land remaining (km²)",
        css_class="mm-choropleth", fill=list(fills),
        outline=Outline(line="#555555", weight=1.0, fill_opacity=0.75),
    ).add_to(fmap)  # fmt: skip
    PlaceLabels(frame[["name", "geometry"]]).add_to(fmap)
    flagged = frame[frame["flagged"]]
    if len(flagged):
        polygon_layer(
            flagged[["tooltip_html", "popup_html", "geometry"]],
            name="Figures that do not add up", css_class="mm-flagged",
            outline=Outline(line=_FLAG, weight=3.0, dash="6 4", fill_opacity=0.0),
        ).add_to(fmap)  # fmt: skip
    entries = [*legend] + ([("#cccccc", "no remaining figure, or one below 0")]
                           if (~valued).any() else [])  # fmt: skip
    entries += [(colour, label) for _, label, colour in RELEASE_PARTS[:3]]
    if len(flagged):
        entries.append((f"dashed:{_FLAG}", "figures do not add up (see popup)"))
    Legend("Land remaining (km²)", entries, [
        "Greens: land released in the period (IMAS 08.10), in each popup's bar.",
        f"Reported figures; a remaining area differing from the estimate less released by more "
        f"than {land_release.TOLERANCE_SHARE:.1%} is flagged, not corrected.",
    ]).add_to(fmap)  # fmt: skip
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
