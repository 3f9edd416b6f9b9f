"""Map views by name: the map each layer kind draws (:attr:`layers.kinds.LayerKind.view`).

A view is ``draw(records, *, title, boundary_set, tiles) -> folium.Map``; it
raises :class:`NothingToDraw`, saying why, when the records give it nothing to
draw. Kinds name their view; maps register them here, so ``layers`` never
imports ``maps``.
"""

from __future__ import annotations

from collections.abc import Callable

import folium
import pandas as pd

from geo.boundary_sets import BoundarySet
from maps import views
from maps.base import NothingToDraw
from maps.incident_view import incidents_map

__all__ = ["NothingToDraw", "View", "draw", "register_view", "view_names"]

#: ``draw(records, *, title, boundary_set, tiles) -> folium.Map``.
View = Callable[..., folium.Map]


_VIEWS: dict[str, View] = {}


def register_view(name: str, view: View) -> View:
    """Register ``view`` under ``name`` (replacing one of that name); return it."""
    _VIEWS[name] = view
    return view


def view_names() -> tuple[str, ...]:
    """Names of the registered views."""
    return tuple(_VIEWS)


def draw(
    name: str,
    records: pd.DataFrame,
    *,
    title: str,
    boundary_set: BoundarySet | None = None,
    tiles: str | None = None,
    credits: tuple[str, ...] = (),
) -> folium.Map:
    """Draw ``records`` with the view called ``name``.

    ``credits`` name the data's sources on the map (a source preset's credit,
    a user boundary set's), for the views that draw records of such sources.

    Raises
    ------
    NothingToDraw
        When there is no record, no such view, or the view finds nothing to draw.
    """
    if name not in _VIEWS:
        raise NothingToDraw(f"no map view called {name!r} (views: {', '.join(_VIEWS)})")
    if records.empty:
        raise NothingToDraw("no record was accepted")
    view = _VIEWS[name]
    if credits and name in _CREDITED:
        return view(records, title=title, boundary_set=boundary_set, tiles=tiles, credits=credits)
    return view(records, title=title, boundary_set=boundary_set, tiles=tiles)


def _contamination(records, *, title, boundary_set, tiles):
    return views.contamination_map(records, tiles=tiles, boundary_set=boundary_set, title=title)


def _clearance(records, *, title, boundary_set, tiles):
    return views.clearance_map(records, tiles=tiles, title=title)


def _incidents(records, *, title, boundary_set, tiles, credits=()):
    return incidents_map(
        records, tiles=tiles, title=title, credits=credits, boundary_set=boundary_set
    )


def _hazards(records, *, title, boundary_set, tiles, credits=()):
    from maps.hazard_view import hazards_map

    return hazards_map(
        records, tiles=tiles, title=title, boundary_set=boundary_set, credits=credits
    )


#: Views that take ``credits``.
_CREDITED = {"incidents", "hazards"}


def _land_release(records, *, title, boundary_set, tiles):
    from maps.release_view import land_release_map

    return land_release_map(records, tiles=tiles, title=title, boundary_set=boundary_set)


def _stockpiles(records, *, title, boundary_set, tiles):
    return views.stockpiles_map(records, tiles=tiles, title=title)


register_view("contamination", _contamination)
register_view("clearance", _clearance)
register_view("hazards", _hazards)
register_view("incidents", _incidents)
register_view("land_release", _land_release)
register_view("stockpiles", _stockpiles)
