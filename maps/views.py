"""The maps minemap draws: clearance by district, contamination, incidents, stockpiles.

Each function takes prepared records (:func:`layers.prepare`) and returns a
folium map; :func:`render` turns a map into one self-contained HTML page.
Geometry and measures come from :mod:`geo`; nothing here computes an area.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo import admin1, dissolve, units
from geo.boundaries import unit_name
from geo.boundary_sets import BoundarySet, embedded
from geo.groupings import member_label, words
from layers import summary
from layers.frames import rows_of
from layers.join import grouping_composition
from maps import assets
from maps.base import (
    Legend,
    NothingToDraw,
    add_background,
    crosses_antimeridian,
    display_bounds,
    new_map,
)
from maps.choropleth import Outline, Simplify, classify, polygon_layer
from maps.incident_view import incidents_map
from maps.labels import HAZARDS, figure_text, label, period_label, year_label
from maps.place_labels import PlaceLabels
from maps.popups import km2_text, percent_text, source_rows
from maps.safehtml import check_elements, detail_table, escape, fmt_number, stable_ids
from maps.stepper import YearStepper
from maps.value_view import value_map

__all__ = [
    "clearance_map",
    "contamination_map",
    "incidents_map",
    "render",
    "stockpiles_map",
    "value_map",
]


def render(fmap: folium.Map, *, assets_mode: str = "inline") -> str:
    """Render a map to one HTML page with stable element ids.

    Parameters
    ----------
    fmap : folium.Map
        The map.
    assets_mode : {"inline", "cdn"}
        ``inline`` embeds every script and stylesheet (works offline);
        ``cdn`` keeps folium's links to public CDNs (smaller, needs a network).

    Raises
    ------
    maps.safehtml.UnsafeElementError
        When an element holds text that did not go through :mod:`maps.safehtml`
        (checked before folium renders anything, since it evaluates templates).
    """
    check_elements(fmap.get_root())
    page = stable_ids(fmap.get_root().render())
    if assets_mode == "inline":
        return assets.inline(page)
    if assets_mode == "cdn":
        return page
    raise ValueError(f"assets_mode must be 'inline' or 'cdn', got {assets_mode!r}")


# ---------------------------------------------------------------- clearance


def clearance_map(
    records: pd.DataFrame, *, tiles: str | None = None, title: str | None = None
) -> folium.Map:
    """Planned clearance by grouping member (e.g. Russian military district).

    Draws the latest period of ``planned_area`` figures given for a grouping:
    a choropleth of planned km² on the members dissolved from their units in
    the composition in force for that period, with the units' outlines drawn
    thin over the fill (not interactive, so hovering shows the district).
    """
    planned = records[records["unit_level"].eq("grouping") & records["measure"].eq("planned_area")]
    if planned.empty:
        raise NothingToDraw(
            "clearance maps draw planned-area figures for the members of a grouping (e.g. "
            "military districts); none given"
        )
    latest = planned.sort_values("date_start", kind="stable").iloc[-1]
    period = planned[
        planned["grouping"].eq(latest["grouping"]) & planned["as_of"].eq(latest["as_of"])
    ]
    comp = grouping_composition(latest.to_dict())
    w = words(comp.grouping)
    members = dissolve(comp).set_index("member")
    subjects = units("admin1", comp.table["unit_code"]).merge(
        comp.table[["unit_code", "member"]], left_on="code", right_on="unit_code"
    )
    stated = records[
        records["record_role"].eq("reported_total") & records["measure"].eq("planned_area")
    ]
    drawn = period.merge(
        members[["unit_codes", "n_units", "geometry"]], left_on="unit_code", right_index=True
    )
    drawn = gpd.GeoDataFrame(drawn, geometry="geometry", crs=members.crs)
    colours, legend = classify(drawn["area_km2"], unit=" km²")
    year = period_label(latest.to_dict())
    drawn["tooltip_html"] = [
        f"<b>{escape(r['unit_code'])}</b>: {escape(km2_text(r['area_km2']))} planned "
        f"({escape(year)})"
        for r in rows_of(drawn)
    ]
    drawn["popup_html"] = [
        detail_table(
            [
                (
                    "Planned clearance",
                    figure_text(r["value"], r["value_unit"], r["value_qualifier"]),
                ),
                ("In km²", km2_text(r["area_km2"])),
                ("Hazard", HAZARDS.get(r["hazard_type"], r["hazard_type"])),
                ("Place as written", r["place"]),
                ("Planned by", r.get("actor")),
                (f"{w['Member']} area", km2_text(r["unit_area_km2"])),
                (f"Share of {w['member']} area", percent_text(r["share_of_unit"])),
                ("Composition", r["composition"]),
                ("Units", f"{r['n_units']} {w['units']}: {r['unit_codes'].replace(';', ', ')}"),
                *source_rows(r),
            ],
            title=w["member_title"].format(r["unit_code"]),
        )
        for r in rows_of(drawn)
    ]
    east = crosses_antimeridian(subjects)
    bounds = display_bounds(subjects)
    total = drawn["area_km2"].sum()
    subtitle = (
        f"{year}: {fmt_number(total)} km² in {len(drawn)} {w['members']} "
        f"(sum of {w['member']} figures)"
    )
    for rec in rows_of(stated):
        stated_text = figure_text(rec["value"], rec["value_unit"], rec["value_qualifier"])
        subtitle += f"; the source states {stated_text}"
    title = title or f"Planned clearance by {member_label(comp.grouping)}"
    fmap = new_map(bounds, title=title, subtitle=subtitle, tiles=tiles)
    add_background(fmap, bounds)
    subject_layer = polygon_layer(
        subjects,
        name=f"{w['Units']} (Natural Earth admin-1)",
        css_class="mm-subject",
        interactive=False,
        outline=Outline(line="#8c8c8c", weight=0.5),
        simplify=Simplify(tolerance=0.02, east=east),
    )
    district_layer = polygon_layer(
        drawn,
        name=f"Planned clearance {year} (km²)",
        css_class="mm-choropleth",
        fill=colours,
        outline=Outline(line="#333333", weight=1.6),
        simplify=Simplify(tolerance=0.02, east=east),
    )
    district_layer.add_to(fmap)
    subject_layer.add_to(fmap)
    PlaceLabels(drawn.assign(name=drawn["unit_code"])[["name", "geometry"]], east=east).add_to(fmap)
    Legend(
        f"Planned clearance {year} (km²)",
        legend,
        [
            f"{w['Members']}: {comp.describe()}.",
            f"{w['Member']} outlines are dissolved from {w['units']}; thin lines are "
            f"{w['units_short']}.",
            f"Source: {latest['source']} ({latest['source_file']}).",
        ],
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


# ------------------------------------------------------------- contamination


def _estimate_block(rec: dict) -> str:
    rows = [
        ("Estimate", figure_text(rec["value"], rec["value_unit"], rec["value_qualifier"])),
        (
            "In km²",
            km2_text(rec.get("area_km2"))
            + (f" ({rec['area_basis']})" if rec.get("area_basis") else ""),
        ),
        ("Share of unit area", percent_text(rec.get("share_of_unit"))),
        ("Status", label(rec["status"])),
        ("Hazard", HAZARDS.get(rec["hazard_type"], rec["hazard_type"])),
        ("Land use", label(rec["land_use"]) if rec["land_use"] != "all" else ""),
        ("Part of", rec.get("part_of")),
        ("Estimated by", rec.get("estimated_by")),
        ("Place as written", rec["place"]),
        *source_rows(rec),
    ]
    return detail_table(rows, title=f"Record {rec['record_id']}")


def _unit_popup(name: str, code: str, summary_line: str, recs: Sequence[dict]) -> str:
    head = (
        f'<div class="mm-detail"><h4>{escape(name)} ({escape(code)})</h4>'
        f"<p>{escape(summary_line)}</p></div>"
    )
    return head + "".join(_estimate_block(r) for r in recs)


def _with_unit_texts(frame: gpd.GeoDataFrame, regional: pd.DataFrame) -> gpd.GeoDataFrame:
    """Tooltip (range of estimates) and popup (every estimate) of each unit in ``frame``."""
    tooltips, popups = [], []
    for row in rows_of(frame):
        recs = rows_of(regional[regional["unit_code"].eq(row["code"])])
        span = (
            f"{fmt_number(row['low_km2'])}–{fmt_number(row['high_km2'])} km²"
            if row["estimates"] > 1
            else km2_text(row["high_km2"])
        )
        line = f"{span} reported ({row['estimates']} estimate{'s' if row['estimates'] > 1 else ''})"
        tooltips.append(f"<b>{escape(row['name'])}</b>: {escape(line)}")
        popups.append(_unit_popup(row["name"], row["code"], line, recs))
    return frame.assign(tooltip_html=tooltips, popup_html=popups)


def contamination_map(
    records: pd.DataFrame,
    *,
    tiles: str | None = None,
    boundary_set: BoundarySet | None = None,
    title: str = "Reported contamination by region",
) -> folium.Map:
    """Map reported contamination by admin-1 unit, with the range where sources disagree.

    Units are filled by their highest reported estimate; the tooltip gives the
    range and the number of estimates, and the popup lists every estimate with
    its status, date and source. Country-level figures form their own layer.
    Units come from ``boundary_set`` when given (a user boundary set), else
    from the embedded admin-1 units.
    """
    bset = boundary_set or embedded("admin1")
    ranges = summary.contamination(records, "admin1").table.set_index("unit_code")
    regional = records[records["unit_level"].eq("admin1")]
    shown = bset.units(ranges.index)[["code", "name", "geometry"]].dissolve(
        by="code", as_index=False
    )
    shown = shown.merge(ranges, left_on="code", right_index=True)
    # A layer per year of estimate (besides all estimates), coloured with the same classes.
    regional = regional.assign(year=[year_label(r) for r in rows_of(regional)])
    by_year = []
    if regional["year"].nunique() > 1:
        for year, recs in regional[regional["area_km2"].notna()].groupby("year", sort=True):
            stats = recs.groupby("unit_code")["area_km2"].agg(["min", "max", "count"])
            frame = shown[["code", "name", "geometry"]].merge(
                stats.rename(columns={"min": "low_km2", "max": "high_km2", "count": "estimates"}),
                left_on="code",
                right_index=True,
            )
            by_year.append(
                (
                    f"Estimates dated {year}" if year else "Estimates with no stated date",
                    frame,
                    recs,
                )
            )
        by_year.sort(key=lambda item: item[0].startswith("Estimates with"))
    all_highs = [shown["high_km2"], *[frame["high_km2"] for _, frame, _ in by_year]]
    colours, legend = classify(pd.concat(all_highs, ignore_index=True), unit=" km²")
    shown = _with_unit_texts(shown, regional)
    polygon_layers = [
        ("Reported contamination (km², highest estimate)", shown, "mm-choropleth", True)
    ]
    polygon_layers += [
        (f"{title} (km², highest)", _with_unit_texts(frame, recs), "mm-choropleth-year", False)
        for title, frame, recs in by_year
    ]
    countries = sorted(set(records["country"]))
    # Units of the records' countries (and units of a user set that names no country).
    context = bset.frame[bset.frame["country"].isin(countries) | bset.frame["country"].eq("")]
    context = context.assign(
        tooltip_html=[
            escape(f"{n} ({c}): no regional figure")
            for n, c in zip(context["name"], context["code"], strict=True)
        ],
        popup_html=[
            detail_table(
                [("Code", c), ("Regional figure", "none reported in these layers")], title=n
            )
            for n, c in zip(context["name"], context["code"], strict=True)
        ],
    )
    national = records[records["unit_level"].eq("admin0")]
    nat_rows = []
    for code, group in national.groupby("unit_code", sort=True):
        recs = rows_of(group)
        texts = [
            figure_text(r["value"], r["value_unit"], r["value_qualifier"]) or label(r["status"])
            for r in recs
        ]
        nat_rows.append(
            {
                "code": code,
                "geometry": shapely.union_all(admin1([code]).geometry.to_numpy()),
                "tooltip_html": f"<b>{escape(unit_name('admin0', code))}</b> "
                f"(country level): {escape('; '.join(texts))}",
                "popup_html": _unit_popup(
                    unit_name("admin0", code), code, "Country-level figures", recs
                ),
            }
        )
    nat = gpd.GeoDataFrame(
        nat_rows,
        columns=["code", "geometry", "tooltip_html", "popup_html"],
        geometry="geometry",
        crs="EPSG:4326",
    )
    valued = set(national.loc[national["value"].notna(), "unit_code"])
    focus = pd.concat([shown[["geometry"]], nat.loc[nat["code"].isin(valued), ["geometry"]]])
    bounds = display_bounds(gpd.GeoDataFrame(focus, geometry="geometry", crs="EPSG:4326"))
    east = crosses_antimeridian(context)
    fmap = new_map(
        bounds,
        title=title,
        subtitle="Fill: highest reported estimate. Where sources disagree, the tooltip gives "
        "the range.",
        tiles=tiles,
    )
    add_background(fmap, bounds)
    polygon_layer(
        context,
        name="Regions without a regional figure",
        css_class="mm-context",
        outline=Outline(line="#b0b0b0", weight=0.4),
        simplify=Simplify(tolerance=0.02, east=east),
    ).add_to(fmap)
    if not nat.empty:
        polygon_layer(
            nat,
            name="Country-level figures",
            css_class="mm-national",
            outline=Outline(line="#6a3d9a", weight=2.0, dash="6 4"),
            simplify=Simplify(tolerance=0.02, east=east),
        ).add_to(fmap)
    PlaceLabels(shown[["name", "geometry"]], east=east).add_to(fmap)
    start, drawn = 0, []
    for name, frame, css_class, show in polygon_layers:
        layer = polygon_layer(
            frame,
            name=name,
            css_class=css_class,
            fill=colours[start : start + len(frame)],
            show=show,
            outline=Outline(line="#333333", weight=1.2),
            simplify=Simplify(tolerance=0.005, east=east),
        )
        layer.add_to(fmap)
        drawn.append(layer)
        start += len(frame)
    dated = [(t.removeprefix("Estimates dated "), layer)
             for (t, _, _), layer in zip(by_year, drawn[1:], strict=True)
             if t.startswith("Estimates dated ")]  # fmt: skip
    if len(dated) > 1:  # one classification for every year: the slider steps through them
        YearStepper(dated, drawn[0], title="Estimates of one year",
                    all_label="all years (highest)").add_to(fmap)  # fmt: skip
    Legend(
        "Reported contaminated area (km²)",
        [*legend, ("dashed:#6a3d9a", "Country-level figure (dashed outline)")]
        if not nat.empty
        else legend,
        [
            "Fill shows the highest estimate; popups list every estimate with its date and source.",
            "Estimates are never averaged or picked from."
            + (
                " The year control shows one year's estimates at a time, in the same classes."
                if by_year
                else ""
            ),
            f"Areas: geodesic (WGS84) on {bset.source}.",
        ],
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


# ---------------------------------------------------------------- stockpiles


def stockpiles_map(
    records: pd.DataFrame,
    *,
    tiles: str | None = None,
    title: str = "Declared stockpiles of Soviet/Russian cluster munitions",
) -> folium.Map:
    """Map declared stockpiles of cluster munitions by country (admin-0 choropleth)."""
    declared = records[
        records["status"].eq("declared") & records["munition_category"].eq("cluster_munitions")
    ]
    if declared.empty:
        raise NothingToDraw("stockpile maps draw declared cluster munitions; none given")
    totals = declared.groupby("country")["quantity"].sum()
    countries = gpd.GeoDataFrame(
        [
            {"code": c, "geometry": shapely.union_all(units("admin0", [c]).geometry.to_numpy())}
            for c in totals.index
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    countries["total"] = countries["code"].map(totals)
    colours, legend = classify(countries["total"], palette="Purples", unit=" munitions")
    origins = sorted(set(declared["origin"].dropna()))
    tooltips, popups = [], []
    for row in rows_of(countries):
        recs = (
            declared[declared["country"].eq(row["code"])]
            .sort_values("munition_type")
            .to_dict("records")
        )
        name = unit_name("admin0", row["code"])
        tooltips.append(
            f"<b>{escape(name)}</b>: {escape(fmt_number(row['total']))} cluster munitions declared"
        )
        table = "".join(
            detail_table(
                [
                    ("Munition", r["munition_type"]),
                    ("Class", r["munition_class"]),
                    ("Submunition", r.get("submunition")),
                    ("Quantity", fmt_number(r["quantity"])),
                    ("Place as written", r["place"]),
                    *source_rows(r),
                ],
                title=f"Record {r['record_id']}",
            )
            for r in recs
        )
        popups.append(
            f'<div class="mm-detail"><h4>{escape(name)}</h4><p>{escape(fmt_number(row["total"]))} '
            f"cluster munitions of {len(recs)} type(s) declared</p></div>{table}"
        )
    countries["tooltip_html"], countries["popup_html"] = tooltips, popups
    bounds = (-100.0, -30.0, 60.0, 60.0)
    minx, miny, maxx, maxy = countries.total_bounds
    bounds = (
        min(bounds[0], minx),
        min(bounds[1], miny),
        max(bounds[2], maxx),
        max(bounds[3], maxy),
    )
    fmap = new_map(
        bounds,
        title=title,
        subtitle="Stocks declared by States Parties to the Convention on Cluster Munitions",
        tiles=tiles,
    )
    add_background(fmap, bounds)
    polygon_layer(
        countries,
        name="Declared cluster munitions (count)",
        css_class="mm-choropleth",
        fill=colours,
        outline=Outline(line="#333333", weight=1.0),
        simplify=Simplify(tolerance=0.02),
    ).add_to(fmap)
    PlaceLabels(countries.assign(name=[unit_name("admin0", c) for c in countries["code"]])
                [["name", "geometry"]]).add_to(fmap)  # fmt: skip
    first = declared.iloc[0] if len(declared) else None
    Legend(
        "Declared cluster munitions",
        legend,
        [
            f"Origin: {', '.join(origins)}. Carrier munitions, not submunitions.",
            "Quantities are as declared; some stocks may since have been destroyed.",
            f"Source: {first['source']} ({first['source_file']})." if first is not None else "",
        ],
    ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap
