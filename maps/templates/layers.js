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

  // Every tooltip and popup of the page, for checks of what a reader is shown.
  function remember(texts) {
    if (texts) { (window.minemapTexts = window.minemapTexts || []).push.apply(window.minemapTexts, texts); }
  }

  // A layer of polygons drawn from the store (maps/polygons.py PolygonLayer).
  function polygons(map, geometry, o) {
    remember(o.tips);
    remember(o.pops);
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
  function clusteredMarkers(map, rows, o) {
    var group = L.markerClusterGroup({
      maxClusterRadius: o.maxClusterRadius,
      spiderfyDistanceMultiplier: 1.6,
      showCoverageOnHover: false
    });
    remember(rows.map(function (r) { return r[5]; }));
    remember(rows.map(function (r) { return r[6]; }));
    var markers = rows.map(function (r) {
      var m = L.circleMarker([r[0], r[1]], {
        radius: r[2], fillColor: r[3], color: "#222222", weight: 1.5,
        fillOpacity: 0.85, dashArray: r[4] ? "3 3" : null, className: o.className
      });
      m.bindTooltip(r[5]);
      m.bindPopup(r[6], {maxWidth: 420});  // its pan padding follows the layout
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

  // ---- Layout: panels and controls that never overlap, at any size from 320 px ----
  //
  // Below COMPACT (width or height) the legend, years panel and year control fold into
  // buttons; at any size a panel that would still overlap another corner's controls
  // folds too (legend first), then the title drops its subtitle. Widths and heights
  // are set from the space the other corners leave. A panel the reader opened or
  // folded stays so. The fit to the data is computed after, from what is left.
  var COMPACT = {width: 700, height: 500};
  var CORNERS = ["topleft", "topright", "bottomleft", "bottomright"];

  // Make a panel foldable into a button named `name`; panels fold in `order`.
  function foldable(div, name, order) {
    div.classList.add("mm-foldable");
    div.setAttribute("data-mm-fold", String(order));
    var button = L.DomUtil.create("button", "mm-toggle");
    button.type = "button";
    div.insertBefore(button, div.firstChild);
    div.mmName = name;
    setFolded(div, false);
    button.addEventListener("click", function () {
      div.mmUser = true;
      setFolded(div, !div.classList.contains("mm-folded"));
    });
  }

  function setFolded(div, folded) {
    div.classList.toggle("mm-folded", folded);
    var button = div.querySelector(".mm-toggle");
    button.textContent = folded ? div.mmName : "\u2212";
    button.setAttribute("aria-expanded", folded ? "false" : "true");
    button.setAttribute("aria-label", (folded ? "Show " : "Fold ") + div.mmName.toLowerCase());
    button.title = folded ? "Show" : "Fold";
  }

  function corner(el, name) {
    var v = name.indexOf("top") === 0 ? "top" : "bottom";
    return el.querySelector(".leaflet-" + v + ".leaflet-" + name.slice(v.length));
  }

  function shown(e) {
    return e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  }

  // Pairs of controls of different corners whose boxes meet, and controls outside the map.
  function overlaps(el) {
    var box = el.getBoundingClientRect(), found = [];
    var items = [];
    CORNERS.forEach(function (c) {
      var k = corner(el, c);
      if (!k) { return; }
      Array.prototype.forEach.call(k.children, function (e) {
        if (shown(e)) { items.push([c, e, e.getBoundingClientRect()]); }
      });
    });
    items.forEach(function (a, i) {
      var r = a[2];
      if (r.left < box.left - 0.5 || r.top < box.top - 0.5 || r.right > box.right + 0.5 ||
          r.bottom > box.bottom + 0.5) { found.push([a[1], null]); }
      items.slice(i + 1).forEach(function (b) {
        var q = b[2];
        if (a[0] !== b[0] && r.left < q.right - 0.5 && q.left < r.right - 0.5 &&
            r.top < q.bottom - 0.5 && q.top < r.bottom - 0.5) { found.push([a[1], b[1]]); }
      });
    });
    return found;
  }

  function height(k) { return k ? k.getBoundingClientRect().height : 0; }
  function width(k) { return k ? k.getBoundingClientRect().width : 0; }

  // Sizes of the panels from the room the other corners leave.
  function size(el) {
    var W = el.clientWidth, H = el.clientHeight;
    function each(c, fn) {
      var k = corner(el, c);
      if (k) { Array.prototype.forEach.call(k.querySelectorAll(".mm-panel"), fn); }
    }
    var scale = el.querySelector(".leaflet-control-scale");
    var attribution = el.querySelector(".leaflet-control-attribution");
    var bottomLeft = width(corner(el, "bottomleft"));
    if (attribution) {
      attribution.style.maxWidth = Math.max(W - bottomLeft - 20, 80) + "px";
    }
    each("topright", function (p) {
      p.style.maxWidth = Math.min(340, W - 20) + "px";
      p.style.maxHeight = Math.max(Math.floor(H * 0.45), 60) + "px";
    });
    var topRight = corner(el, "topright");
    each("topleft", function (p) {
      p.style.maxWidth = Math.min(360, Math.max(W - width(topRight) - 40, 110)) + "px";
      p.style.maxHeight = Math.max(Math.floor(H * 0.35), 60) + "px";
    });
    var room = H - height(topRight) - height(attribution) - (scale ? 0 : 0) - 40;
    each("bottomright", function (p) {
      p.style.maxWidth = Math.min(340, Math.max(W - bottomLeft - 30, 110)) + "px";
      p.style.maxHeight = Math.max(room, 60) + "px";
    });
  }

  function layout(map) {
    var el = map.getContainer();
    var W = el.clientWidth, H = el.clientHeight;
    if (!W || !H) { return; }
    var compact = W < COMPACT.width || H < COMPACT.height;
    el.classList.toggle("mm-compact", compact);
    var panels = Array.prototype.slice.call(el.querySelectorAll(".mm-foldable"));
    panels.sort(function (a, b) { return a.getAttribute("data-mm-fold") - b.getAttribute("data-mm-fold"); });
    var keep = el.classList.contains("mm-keep-legend");  // PNG export: the legend stays open
    function may(p) { return !p.mmUser && !(keep && p.classList.contains("mm-legend")); }
    panels.forEach(function (p) {
      if (may(p)) { setFolded(p, compact); }
      else if (keep && p.classList.contains("mm-legend")) { setFolded(p, false); }
    });
    var title = el.querySelector(".mm-title");
    if (title) { title.classList.toggle("mm-terse", compact && H < 420); }
    size(el);
    panels.forEach(function (p) {
      if (may(p) && !p.classList.contains("mm-folded") && overlaps(el).length) {
        setFolded(p, true);
        size(el);
      }
    });
    if (title && overlaps(el).length) { title.classList.add("mm-terse"); size(el); }
  }

  // The first and last year of a year label ("2014", "2014\u20132015"); null without a date.
  function yearSpan(label) {
    if (!label) { return null; }
    var parts = label.split("\u2013");
    return [parseInt(parts[0], 10), parseInt(parts[parts.length - 1], 10)];
  }

  // Badges of records a source gives for a whole country: one per country, with the
  // number of its records and their years (never a cluster of points at its centre),
  // with the year filter's interface. rows: [lat, lon, name, [[year label, popup], ...]].
  function badges(map, rows, o) {
    var group = L.layerGroup(), labels = {};
    // Their own pane, below the markers (600): a cluster over a badge stays clickable.
    if (!map.getPane("mmBadges")) { map.createPane("mmBadges").style.zIndex = 590; }
    rows.forEach(function (r) {
      r[3].forEach(function (x) { labels[x[0]] = true; });
      remember(r[3].map(function (x) { return x[1]; }));
    });
    var items = rows.map(function (r) {
      var inner = document.createElement("div");
      inner.className = "mm-badge-inner";
      var head = document.createElement("b");
      head.textContent = r[2];
      var text = document.createElement("span");
      inner.appendChild(head);
      inner.appendChild(document.createElement("br"));
      inner.appendChild(text);
      var icon = L.divIcon({className: "mm-badge " + o.className, html: inner, iconSize: null});
      var marker = L.marker([r[0], r[1]], {icon: icon, pane: "mmBadges"});
      return {row: r, marker: marker, inner: inner, text: text, shown: r[3]};
    });
    function years(list) {
      var lo = null, hi = null, undated = 0;
      list.forEach(function (x) {
        var s = yearSpan(x[0]);
        if (s === null) { undated++; return; }
        lo = lo === null ? s[0] : Math.min(lo, s[0]);
        hi = hi === null ? s[1] : Math.max(hi, s[1]);
      });
      var said = lo === null ? "" : (lo === hi ? String(lo) : lo + "\u2013" + hi);
      if (!undated) { return said; }
      return said ? said + ", " + undated + " with no date" : "no date";
    }
    function draw() {
      var total = 0;
      items.forEach(function (it) {
        var n = it.shown.length, when = years(it.shown);
        total += n;
        if (!n) { group.removeLayer(it.marker); return; }
        var count = n.toLocaleString("en") + (n === 1 ? " record" : " records");
        it.text.textContent = count + (when ? ", " + when : "");
        it.inner.setAttribute("data-mm-count", String(n));
        var head = '<div class="mm-detail"><h4></h4><p></p></div>';
        var box = document.createElement("div");
        box.innerHTML = head;
        box.querySelector("h4").textContent = it.row[2] + ": " + count + " " + o.said;
        box.querySelector("p").textContent = when ? "Years: " + when : "";
        var shown = it.shown.slice(0, o.listed).map(function (x) { return x[1]; }).join("");
        var more = n > o.listed ? '<p class="mm-more"></p>' : "";
        box.insertAdjacentHTML("beforeend", shown + more);
        if (more) {
          box.querySelector(".mm-more").textContent = "and " + (n - o.listed).toLocaleString("en") +
            " more (records.csv lists them all)";
        }
        it.marker.bindPopup(box, {maxWidth: 420});
        it.marker.bindTooltip(it.row[2] + ": " + count + (when ? ", " + when : ""));
        if (!group.hasLayer(it.marker)) { group.addLayer(it.marker); }
      });
      group.count = total;
      if (group._map) { declutter(); }
    }
    // A badge that would cover one drawn before it (larger counts first) shows its count
    // only; its tooltip and popup still say all.
    function declutter() {
      var placed = [];
      items.slice().sort(function (a, b) { return b.shown.length - a.shown.length; })
        .forEach(function (it) {
          if (!group.hasLayer(it.marker)) { return; }
          it.inner.classList.remove("mm-badge-compact");
          var r = it.inner.getBoundingClientRect();
          var hit = placed.some(function (q) {
            return r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom;
          });
          if (hit) {
            it.inner.classList.add("mm-badge-compact");
            r = it.inner.getBoundingClientRect();
          }
          placed.push(r);
        });
    }
    group.on("add", function () {
      map.on("zoomend", declutter);
      requestAnimationFrame(declutter);
    });
    group.on("remove", function () { map.off("zoomend", declutter); });
    group.yearValues = Object.keys(labels).sort();
    // Each record's own popup (a badge's popup lists the first few): for checks.
    group.recordPopups = [].concat.apply([], rows.map(function (r) {
      return r[3].map(function (x) { return x[1]; });
    }));
    group.ready = Promise.resolve(group);
    group.selectYears = function (chosen) {
      items.forEach(function (it) {
        it.shown = chosen === null ? it.row[3] : it.row[3].filter(function (x) {
          return chosen.indexOf(x[0]) >= 0;
        });
      });
      draw();
    };
    draw();
    return group;
  }

  // Place labels: a unit's name at a point inside it, shown where the unit is as wide on
  // screen as its name and the name meets no label placed before it (larger units first).
  // rows: [lat, lon, name, west, south, east, north].
  function placeLabels(map, rows) {
    if (!map.getPane("mmLabels")) {
      var pane = map.createPane("mmLabels");
      pane.style.zIndex = 580;
      pane.style.pointerEvents = "none";
    }
    var group = L.layerGroup();
    var items = rows.map(function (r) {
      var inner = document.createElement("div");
      inner.className = "mm-place";
      inner.textContent = r[2];
      var icon = L.divIcon({className: "mm-place-anchor", html: inner, iconSize: null});
      var marker = L.marker([r[0], r[1]], {icon: icon, pane: "mmLabels", interactive: false,
                                          keyboard: false});
      group.addLayer(marker);
      return {row: r, inner: inner};
    });
    function place() {
      if (!group._map) { return; }
      var placed = [];
      items.forEach(function (it) {
        var r = it.row;
        var a = map.latLngToContainerPoint([r[4], r[3]]), b = map.latLngToContainerPoint([r[6], r[5]]);
        it.inner.style.display = "";
        var box = it.inner.getBoundingClientRect();
        var fits = Math.abs(b.x - a.x) >= box.width && Math.abs(b.y - a.y) >= box.height;
        var meets = placed.some(function (q) {
          return box.left < q.right + 2 && q.left < box.right + 2 && box.top < q.bottom &&
            q.top < box.bottom;
        });
        if (fits && !meets) { placed.push(box); it.inner.setAttribute("data-mm-shown", "1"); }
        else { it.inner.style.display = "none"; it.inner.removeAttribute("data-mm-shown"); }
      });
    }
    group.on("add", function () {
      map.on("zoomend", place);
      map.on("resize", place);
      requestAnimationFrame(place);
    });
    group.on("remove", function () { map.off("zoomend", place); map.off("resize", place); });
    return group;
  }

  // Padding for the fit: the room the panels take at the map's edges, never more than a
  // share of the map (a fixed padding wider than a phone would leave Leaflet no room).
  function fitOptions(map) {
    var el = map.getContainer(), size = map.getSize(), box = el.getBoundingClientRect();
    function at(value, total, share) { return Math.max(Math.min(value, Math.floor(total * share)), 8); }
    var top = 0, bottom = 0, right = 0;
    ["topleft", "topright"].forEach(function (c) {
      var k = corner(el, c);
      if (k && k.children.length) { top = Math.max(top, k.getBoundingClientRect().bottom - box.top); }
    });
    var br = corner(el, "bottomright"), legend = el.querySelector(".mm-legend");
    if (legend && shown(legend) && !legend.classList.contains("mm-folded")) {
      right = legend.getBoundingClientRect().width + 10;
    } else if (br) {
      bottom = box.bottom - br.getBoundingClientRect().top;
    }
    var bl = corner(el, "bottomleft");
    if (bl) { bottom = Math.max(bottom, box.bottom - bl.getBoundingClientRect().top); }
    // A title across the top leaves the sides free: pad the top only where it is narrow.
    return {
      paddingTopLeft: [8, at(top + 6, size.y, 0.3)],
      paddingBottomRight: [at(right, size.x, 0.4), at(bottom + 6, size.y, 0.25)],
      animate: false
    };
  }

  // Lay out the panels and fit the map to its bounds for its size: now, when its
  // container first gets a size (a map drawn while hidden, or in a frame not yet
  // laid out), once drawn, and when it is resized, until the reader moves the map.
  function fitWhenShown(map, bounds) {
    var el = map.getContainer(), moved = false, fitting = false;
    function sized() { return el.clientWidth > 0 && el.clientHeight > 0; }
    function fit() {
      if (!sized()) { return; }
      layout(map);
      if (moved) { return; }
      fitting = true;
      map.fitBounds(L.latLngBounds(bounds), fitOptions(map));
      fitting = false;
      el.setAttribute("data-mm-fit-zoom", String(map.getZoom()));
    }
    // A popup pans clear of the panels as they are laid out now (a phone's title, an open
    // legend), not of fixed margins: its padding is the fit's, set as it opens.
    map.on("popupopen", function (e) {
      var pad = fitOptions(map), o = e.popup.options;
      // Never wider than the map (a phone is narrower than the 420 px a popup may take);
      // maxWidth is the content's, the frame adds about 45 px.
      o.maxWidth = Math.min(o.maxWidth || 300, Math.max(map.getSize().x - 90, 160));
      o.minWidth = Math.min(o.minWidth || 50, o.maxWidth);
      o.autoPanPaddingTopLeft = L.point(pad.paddingTopLeft);
      o.autoPanPaddingBottomRight = L.point(pad.paddingBottomRight);
      if (o.autoPan !== false) { e.popup.update(); }
    });
    map.on("dragstart", function () { moved = true; });
    map.on("zoomstart", function () { if (!fitting) { moved = true; } });
    map.on("resize", fit);
    map.mmRelayout = fit;
    el.setAttribute("data-mm-bounds", JSON.stringify(bounds));
    // Printed: the legend kept open, the panels laid out and the map fitted again for the
    // paper (the print stylesheet hides the controls), then as before.
    window.addEventListener("beforeprint", function () {
      el.classList.add("mm-keep-legend");
      map.invalidateSize();
      fit();
    });
    window.addEventListener("afterprint", function () {
      el.classList.remove("mm-keep-legend");
      map.invalidateSize();
      fit();
    });
    if (sized()) { fit(); }
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
        if (map.mmRelayout) { map.mmRelayout(); }  // every panel is filled in by now
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            map.getContainer().setAttribute("data-mm-drawn", "true");
          });
        });
      });
    });
  }

  // A panel of escaped HTML (maps/base.py MapText) as a Leaflet control.
  function panel(map, html, position, className, fold) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", className);
      div.innerHTML = html;
      if (fold) { foldable(div, fold.name, fold.order); }
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
      foldable(div, "Year", 3);
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
    badges: badges,
    placeLabels: placeLabels,
    fitWhenShown: fitWhenShown,
    signalDrawn: signalDrawn,
    panel: panel,
    foldable: foldable,
    layout: layout
  };
})();
