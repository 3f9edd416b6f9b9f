/*
 * minemap's layers and map behaviour, loaded once per page (maps/scripts.py).
 *
 * Every map element minemap writes calls one of these functions with its
 * data as a JSON literal; no record text is ever evaluated as code. Popups
 * and tooltips of polygon layers are HTML built from escaped text in Python
 * (maps/safehtml.py).
 */
(function () {
  "use strict";

  // One store entry (see maps/polygons.py encode_geometries) to a GeoJSON geometry:
  // [decimals, [[ring as polyline-encoded integer deltas, ...], ...]].
  function decode(e) {
    if (!e) { return null; }
    var scale = Math.pow(10, e[0]);
    var polygons = e[1].map(function (rings) {
      return rings.map(function (s) {
        var out = [], x = 0, y = 0, i = 0, n = s.length, axis = 0;
        while (i < n) {
          var v = 0, shift = 0, b;
          do { b = s.charCodeAt(i++) - 63; v += (b & 31) * Math.pow(2, shift); shift += 5; }
          while (b >= 32);
          var d = (v % 2) ? -(v + 1) / 2 : v / 2;
          if (axis === 0) { x += d; axis = 1; }
          else { y += d; axis = 0; out.push([x / scale, y / scale]); }
        }
        if (out.length) { out.push(out[0]); }
        return out;
      });
    });
    return polygons.length === 1 ? {type: "Polygon", coordinates: polygons[0]}
      : {type: "MultiPolygon", coordinates: polygons};
  }

  // The page's geometry store: a function from an index to a geometry, decoded on first use.
  function store(entries) {
    var done = {};
    return function (i) {
      if (!(i in done)) { done[i] = decode(entries[i]); entries[i] = null; }
      return done[i];
    };
  }

  // A layer of polygons drawn from the store (maps/polygons.py PolygonLayer).
  function polygons(map, geometry, o) {
    function style(f) {
      var s = Object.assign({}, o.style);
      if (o.fills) { s.fillColor = o.fills[f.id]; } else { s.fillOpacity = 0; }
      return s;
    }
    // Coarser geometry below zoom `below` (fewer vertices to project and draw).
    function level() { return o.coarse && map.getZoom() < o.below ? o.coarse : o.index; }
    var drawn = level();
    var features = drawn.map(function (g, i) {
      return {type: "Feature", id: i, properties: {}, geometry: geometry(g)};
    });
    var options = {style: style, smoothFactor: o.smoothFactor, interactive: o.interactive};
    if (o.pane) {
      var pane = map.getPane(o.pane) || map.createPane(o.pane);
      pane.style.zIndex = o.paneZ;
      options.pane = o.pane;
    }
    if (o.canvas) {
      options.renderer = o.pane ? L.canvas({padding: 0.2, pane: o.pane}) : L.canvas({padding: 0.2});
    }
    var group = L.geoJSON(features, options);
    if (o.coarse) {
      map.on("zoomend", function () {
        var now = level();
        if (now === drawn) { return; }
        drawn = now;
        group.eachLayer(function (l) {
          var g = geometry(drawn[l.feature.id]);
          if (g) {
            l.setLatLngs(L.GeoJSON.coordsToLatLngs(g.coordinates, g.type === "Polygon" ? 1 : 2));
          }
        });
      });
    }
    if (o.tips) {
      group.bindTooltip(function (l) { return o.tips[l.feature.id]; }, {sticky: true});
    }
    if (o.pops) {
      group.bindPopup(function (l) { return o.pops[l.feature.id]; }, o.popup);
    }
    if (o.interactive) {
      group.on("mouseover", function (e) { e.layer.setStyle(o.hover); });
      group.on("mouseout", function (e) { group.resetStyle(e.layer); });
    }
    return group;
  }

  // Markers clustered by leaflet.markercluster, with the year filter's interface
  // (see pointcloud.js): rows are [lat, lon, radius, fill, dashed, tooltip, popup].
  function clusteredMarkers(rows, o) {
    var group = L.markerClusterGroup({
      maxClusterRadius: o.maxClusterRadius,
      spiderfyDistanceMultiplier: 1.6,
      showCoverageOnHover: false
    });
    var markers = rows.map(function (r) {
      var m = L.circleMarker([r[0], r[1]], {
        radius: r[2], fillColor: r[3], color: "#222222", weight: 1.5,
        fillOpacity: 0.85, dashArray: r[4] ? "3 3" : null, className: o.className
      });
      m.bindTooltip(r[5]);
      m.bindPopup(r[6], {maxWidth: 420, autoPanPaddingTopLeft: [20, 150],
                         autoPanPaddingBottomRight: [370, 30]});
      return m;
    });
    group.addLayers(markers);
    group.yearValues = o.yearValues;
    group.ready = Promise.resolve(group);
    group.count = markers.length;
    group.selectYears = function (labels) {
      var keep = labels === null ? markers : markers.filter(function (m, i) {
        return labels.indexOf(o.years[i]) >= 0;
      });
      group.clearLayers();
      group.addLayers(keep);
      group.count = keep.length;
    };
    return group;
  }

  // Padding for the panels (title top left, legend bottom right), never more than a
  // share of the map: on a phone, fixed padding wider than the map would leave no room
  // and Leaflet would fit at its maximum zoom.
  function fitOptions(map, options) {
    var size = map.getSize();
    function at(value, total, share) { return Math.min(value, Math.floor(total * share)); }
    return {
      paddingTopLeft: [at(options.paddingTopLeft[0], size.x, 0.1),
                       at(options.paddingTopLeft[1], size.y, 0.2)],
      paddingBottomRight: [at(options.paddingBottomRight[0], size.x, 0.35),
                           at(options.paddingBottomRight[1], size.y, 0.1)]
    };
  }

  // Fit the map to its bounds for its size, now and again when its container first
  // gets one: a map drawn while hidden, or in a frame not yet laid out, has none.
  function fitWhenShown(map, bounds, options) {
    var el = map.getContainer();
    function sized() { return el.clientWidth > 0 && el.clientHeight > 0; }
    function fit() { map.fitBounds(L.latLngBounds(bounds), fitOptions(map, options)); }
    if (sized()) { fit(); return; }
    if (typeof ResizeObserver === "undefined") { return; }
    var observer = new ResizeObserver(function () {
      if (!sized()) { return; }
      observer.disconnect();
      map.invalidateSize();
      fit();
    });
    observer.observe(el);
  }

  // Mark the container data-mm-drawn="true" once every layer is drawn: once the
  // promises layers put in window.minemapPending are settled, two frames later.
  function signalDrawn(map) {
    requestAnimationFrame(function () {
      Promise.all(window.minemapPending || []).then(function () {
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            map.getContainer().setAttribute("data-mm-drawn", "true");
          });
        });
      });
    });
  }

  // A panel of escaped HTML (maps/base.py MapText) as a Leaflet control.
  function panel(map, html, position, className) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    return control;
  }

  // One layer per year, stepped through one at a time with a slider and buttons, all
  // coloured with one classification (maps/stepper.py). "All years" shows the base
  // layer again. The panel's data-mm-year names what is shown.
  function yearStepper(map, labels, steps, base, o) {
    var control = L.control({position: o.position});
    var at = -1, div, label, slider;
    function show(i) {
      at = i;
      steps.forEach(function (layer, j) {
        if (j === i) { if (!map.hasLayer(layer)) { layer.addTo(map); } }
        else if (map.hasLayer(layer)) { map.removeLayer(layer); }
      });
      if (i < 0) { if (!map.hasLayer(base)) { base.addTo(map); } }
      else if (map.hasLayer(base)) { map.removeLayer(base); }
      var text = i < 0 ? o.allLabel : labels[i];
      label.textContent = text;
      div.setAttribute("data-mm-year", i < 0 ? "all" : labels[i]);
      slider.value = String(i < 0 ? labels.length : i);
    }
    control.onAdd = function () {
      div = L.DomUtil.create("div", "mm-panel mm-stepper");
      var head = L.DomUtil.create("h2", "", div);
      head.textContent = o.title;
      var row = L.DomUtil.create("div", "mm-stepper-row", div);
      var prev = L.DomUtil.create("button", "mm-prev", row);
      prev.type = "button"; prev.textContent = "\u25c0"; prev.setAttribute("aria-label", "earlier");
      label = L.DomUtil.create("output", "mm-step-label", row);
      var next = L.DomUtil.create("button", "mm-next", row);
      next.type = "button"; next.textContent = "\u25b6"; next.setAttribute("aria-label", "later");
      slider = L.DomUtil.create("input", "mm-slider", div);
      slider.type = "range"; slider.min = "0"; slider.max = String(labels.length);
      slider.step = "1"; slider.setAttribute("aria-label", o.title);
      var ends = L.DomUtil.create("div", "mm-stepper-ends", div);
      ends.textContent = labels[0] + " \u2026 " + labels[labels.length - 1] + ", " + o.allLabel;
      prev.onclick = function () { show(at < 0 ? labels.length - 1 : Math.max(at - 1, 0)); };
      next.onclick = function () { show(at < 0 ? -1 : (at + 1 < labels.length ? at + 1 : -1)); };
      slider.oninput = function () {
        var v = parseInt(slider.value, 10);
        show(v >= labels.length ? -1 : v);
      };
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    show(-1);
    return control;
  }

  window.minemapLayers = {
    yearStepper: yearStepper,
    store: store,
    polygons: polygons,
    clusteredMarkers: clusteredMarkers,
    fitWhenShown: fitWhenShown,
    signalDrawn: signalDrawn,
    panel: panel
  };
})();
