/* minemap point layers for many records (maps/pointcloud.py).
 *
 * The points arrive as one gzip-compressed, base64-encoded block of typed
 * columns: zigzag-coded coordinate differences (1e-5 degree steps, about 1 m)
 * and one dictionary code per record and field. They are decoded once into
 * typed arrays. Drawing is on one canvas: below `hexZoom`, a hexagon grid of
 * record counts computed from the arrays for the current view; from
 * `hexZoom`, clusters from Supercluster (one index per year selection, built
 * when first needed) and single records coloured by category. Tooltips and
 * popups are built with DOM text nodes only: no record text is parsed as HTML.
 */
var minemapPoints = (function () {
  "use strict";

  function bytesOf(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer();
  }

  // `width` byte planes of n values each (least significant first) -> unsigned ints.
  function unshuffle(bytes, offset, n, width) {
    var out = width === 1 ? new Uint8Array(n) : width === 2 ? new Uint16Array(n) : new Uint32Array(n);
    for (var b = 0; b < width; b++) {
      var plane = offset + b * n, mult = Math.pow(256, b);
      for (var i = 0; i < n; i++) { out[i] += bytes[plane + i] * mult; }
    }
    return out;
  }

  // Zigzag-coded differences -> cumulative coordinates in degrees.
  function coordinates(codes, scale) {
    var out = new Float64Array(codes.length), v = 0;
    for (var i = 0; i < codes.length; i++) {
      var z = codes[i];
      v += (z % 2) ? -(z + 1) / 2 : z / 2;
      out[i] = v / scale;
    }
    return out;
  }

  function decode(meta, b64) {
    return gunzip(bytesOf(b64)).then(function (buffer) {
      var bytes = new Uint8Array(buffer), n = meta.n, offset = 0;
      var lon = coordinates(unshuffle(bytes, offset, n, 4), meta.scale); offset += 4 * n;
      var lat = coordinates(unshuffle(bytes, offset, n, 4), meta.scale); offset += 4 * n;
      var codes = meta.fields.map(function (f) {
        if (f.kind === "dates") {  // start day number, days to the end + 1 (0: none)
          f.start = unshuffle(bytes, offset, n, 4); offset += 4 * n;
          f.span = unshuffle(bytes, offset, n, 4); offset += 4 * n;
        }
        var c = unshuffle(bytes, offset, n, f.width); offset += f.width * n; return c;
      });
      // Each field's distinct values: a JSON array of strings, after the codes.
      var utf8 = new TextDecoder("utf-8");
      meta.fields.forEach(function (f) {
        f.values = JSON.parse(utf8.decode(bytes.subarray(offset, offset + f.bytes)));
        offset += f.bytes;
      });
      // Web Mercator in [0, 1], for drawing without a Leaflet object per point.
      var mx = new Float64Array(n), my = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        mx[i] = lon[i] / 360 + 0.5;
        var s = Math.sin(lat[i] * Math.PI / 180);
        my[i] = 0.5 - 0.25 * Math.log((1 + s) / (1 - s)) / Math.PI;
      }
      var data = {n: n, lon: lon, lat: lat, mx: mx, my: my, codes: codes};
      if (meta.year_field !== null) {  // year codes, for the year filter
        var f = meta.fields[meta.year_field], index = {}, labels = [];
        var yc = new Uint16Array(n), raw = new Array(n);
        for (var j = 0; j < n; j++) {
          var y = yearOf(f, j);
          if (!(y in index)) { index[y] = labels.length; labels.push(y); }
          raw[j] = index[y];
        }
        var sorted = labels.slice().sort(), rank = labels.map(function (l) { return sorted.indexOf(l); });
        for (var k = 0; k < n; k++) { yc[k] = rank[raw[k]]; }
        data.yearValues = sorted;
        data.yearCodes = yc;
      }
      return data;
    });
  }

  // Day number (1 = 0001-01-01) -> "YYYY-MM-DD".
  function iso(day) {
    return new Date((day - 719163) * 86400000).toISOString().slice(0, 10);
  }

  // A period as minemap labels it: "2018", "1994–2016", "2024-04-04", "a – b".
  function period(a, b) {
    var s = iso(a), e = iso(b);
    if (s.slice(5) === "01-01" && e.slice(5) === "12-31") {
      return s.slice(0, 4) === e.slice(0, 4) ? s.slice(0, 4) : s.slice(0, 4) + "\u2013" + e.slice(0, 4);
    }
    return a === b ? s : s + " \u2013 " + e;
  }

  // The year of a record, or its span of years; "" without a start.
  function yearOf(f, i) {
    if (!f.start[i]) { return ""; }
    var y0 = iso(f.start[i]).slice(0, 4);
    if (!f.span[i]) { return y0; }
    var y1 = iso(f.start[i] + f.span[i] - 1).slice(0, 4);
    return y1 === y0 ? y0 : y0 + "\u2013" + y1;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function abbreviate(n) {
    return n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n);
  }

  var PointLayer = L.Layer.extend({
    initialize: function (meta, b64) {
      this.meta = meta;
      this._indexes = {};
      this._items = [];
      this._selected = null;  // null: every year
      var self = this;
      this.ready = decode(meta, b64).then(function (data) {
        self.data = data;
        self.yearValues = data.yearValues || [];
        self._filter();
        if (self._map) { self._redraw(); }
        return self;
      });
      (window.minemapPending = window.minemapPending || []).push(this.ready);
    },

    onAdd: function (map) {
      this._canvas = el("canvas", "mm-points leaflet-zoom-hide");
      this._canvas.style.position = "absolute";
      this._canvas.style.pointerEvents = "none";
      // Its own pane, above the polygon layers (400) and below markers (600).
      var pane = map.getPane("minemapPoints") || map.createPane("minemapPoints");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      pane.appendChild(this._canvas);
      this._tooltip = L.tooltip({sticky: true, direction: "top", offset: [0, -8]});
      map.on("moveend zoomend resize viewreset", this._redraw, this);
      map.on("mousemove", this._hover, this);
      map.on("mouseout", this._unhover, this);
      map.on("click", this._click, this);
      if (this.data) { this._redraw(); }
    },

    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off("moveend zoomend resize viewreset", this._redraw, this);
      map.off("mousemove", this._hover, this);
      map.off("mouseout", this._unhover, this);
      map.off("click", this._click, this);
      this._unhover();
      this._items = [];
    },

    // Records shown: every record, or those of the selected years.
    _filter: function () {
      var d = this.data, yf = this.meta.year_field, sel = this._selected;
      if (sel === null || yf === null) {
        this.ids = null;
        this.count = d.n;
        return;
      }
      var codes = d.yearCodes, keep = new Uint8Array(this.yearValues.length), k = 0;
      sel.forEach(function (c) { keep[c] = 1; });
      var ids = new Uint32Array(d.n);
      for (var i = 0; i < d.n; i++) { if (keep[codes[i]]) { ids[k++] = i; } }
      this.ids = ids.subarray(0, k);
      this.count = k;
    },

    // Select years by their labels (null: all); redraw and tell listeners.
    selectYears: function (labels) {
      if (!this.data) { return; }
      var values = this.yearValues;
      this._selected = labels === null ? null : values.map(function (v, code) {
        return labels.indexOf(v) >= 0 ? code : -1;
      }).filter(function (code) { return code >= 0; });
      this._filter();
      if (this._map) { this._map.closePopup(); }
      this._redraw();
      this.fire("filter", {count: this.count});
    },

    eachShown: function (fn) {
      var ids = this.ids, n = ids ? ids.length : this.data.n;
      for (var k = 0; k < n; k++) { fn(ids ? ids[k] : k); }
    },

    _index: function () {
      var key = this._selected === null ? "all" : this._selected.join(",");
      if (!this._indexes[key]) {
        var d = this.data, feats = new Array(this.count), k = 0;
        this.eachShown(function (i) {
          feats[k++] = {type: "Feature", properties: i,
                        geometry: {type: "Point", coordinates: [d.lon[i], d.lat[i]]}};
        });
        this._indexes[key] = new Supercluster({
          radius: this.meta.cluster_radius, maxZoom: this.meta.max_zoom - 1, minPoints: 2
        }).load(feats);
      }
      return this._indexes[key];
    },

    _redraw: function () {
      var map = this._map;
      if (!map || !this.data) { return; }
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, c = this._canvas;
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
      c.width = size.x * ratio; c.height = size.y * ratio;
      c.style.width = size.x + "px"; c.style.height = size.y + "px";
      var ctx = c.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      this._items = [];
      if (map.getZoom() < this.meta.hex_zoom) { this._drawHexagons(ctx, size); }
      else { this._drawClusters(ctx, size); }
    },

    // Pixel position of record i: Web Mercator scaled to the zoom, then to the container.
    _projector: function () {
      var map = this._map, world = 256 * Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin(), pane = map._getMapPanePos();
      return {world: world, dx: pane.x - origin.x, dy: pane.y - origin.y};
    },

    _drawHexagons: function (ctx, size) {
      var r = this.meta.hex_radius, w = Math.sqrt(3) * r, h = 1.5 * r;
      var p = this._projector(), d = this.data, bins = new Map(), top = 0;
      var off = this._wrapOffsets(p.world, size);
      this.eachShown(function (i) {
        for (var o = 0; o < off.length; o++) {
          var x = d.mx[i] * p.world + p.dx + off[o], y = d.my[i] * p.world + p.dy;
          if (x < -w || y < -h || x > size.x + w || y > size.y + h) { continue; }
          // Axial hexagon coordinates (pointy top), rounded in cube space.
          var rr = y / h, cx = x / w - rr / 2, cz = rr, cy = -cx - cz;
          var rx = Math.round(cx), ry = Math.round(cy), rz = Math.round(cz);
          var ex = Math.abs(rx - cx), ey = Math.abs(ry - cy), ez = Math.abs(rz - cz);
          if (ex > ey && ex > ez) { rx = -ry - rz; } else if (ey <= ez) { rz = -rx - ry; }
          var key = rx + "," + rz, v = (bins.get(key) || 0) + 1;
          bins.set(key, v);
          if (v > top) { top = v; }
        }
      });
      var self = this, logTop = Math.log(top + 1), ramp = this.meta.hex_colours;
      ctx.lineWidth = 0.6;
      ctx.strokeStyle = "rgba(80,80,80,0.6)";
      bins.forEach(function (count, key) {
        var parts = key.split(","), q = +parts[0], s = +parts[1];
        var x = w * (q + s / 2), y = h * s;
        var k = Math.min(ramp.length - 1, Math.floor(Math.log(count + 1) / logTop * ramp.length));
        ctx.beginPath();
        for (var a = 0; a < 6; a++) {
          var ang = Math.PI / 180 * (60 * a - 30);
          var px = x + r * Math.cos(ang), py = y + r * Math.sin(ang);
          if (a === 0) { ctx.moveTo(px, py); } else { ctx.lineTo(px, py); }
        }
        ctx.closePath();
        ctx.globalAlpha = 0.85;
        ctx.fillStyle = ramp[k];
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.stroke();
        self._items.push({kind: "hex", x: x, y: y, r: r * 0.9, count: count});
      });
    },

    // Copies of the world (360° apart) that reach the view.
    _wrapOffsets: function (world, size) {
      var p = this._projector(), out = [];
      for (var k = -1; k <= 1; k++) {
        var left = p.dx + k * world;
        if (left < size.x && left + world > 0) { out.push(k * world); }
      }
      return out;
    },

    _drawClusters: function (ctx, size) {
      var map = this._map, b = map.getBounds(), z = Math.floor(map.getZoom());
      var pad = 0.1 * (b.getEast() - b.getWest());
      var found = this._index().getClusters(
        [b.getWest() - pad, Math.max(b.getSouth() - pad, -85), b.getEast() + pad,
         Math.min(b.getNorth() + pad, 85)], z);
      var colours = this.meta.colours, cf = this.meta.category_field, d = this.data;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.font = "bold 11px 'DejaVu Sans', Arial, sans-serif";
      for (var j = 0; j < found.length; j++) {
        var f = found[j], ll = f.geometry.coordinates;
        var pt = map.latLngToContainerPoint([ll[1], ll[0]]);
        if (f.properties && f.properties.cluster) {
          var n = f.properties.point_count, r = 11 + 4 * Math.log10(n);
          ctx.beginPath();
          ctx.arc(pt.x, pt.y, r + 4, 0, 2 * Math.PI);
          ctx.fillStyle = n < 100 ? "rgba(110,204,57,0.45)" : n < 1000 ? "rgba(240,194,12,0.45)"
            : "rgba(241,128,23,0.45)";
          ctx.fill();
          ctx.beginPath();
          ctx.arc(pt.x, pt.y, r, 0, 2 * Math.PI);
          ctx.fillStyle = n < 100 ? "rgba(110,204,57,0.9)" : n < 1000 ? "rgba(240,194,12,0.9)"
            : "rgba(241,128,23,0.9)";
          ctx.fill();
          ctx.fillStyle = "#222222";
          ctx.fillText(abbreviate(n), pt.x, pt.y);
          this._items.push({kind: "cluster", x: pt.x, y: pt.y, r: r + 4, count: n,
                            id: f.properties.cluster_id, lat: ll[1], lon: ll[0]});
        } else {
          var i = f.properties;
          ctx.beginPath();
          ctx.arc(pt.x, pt.y, 6, 0, 2 * Math.PI);
          ctx.fillStyle = cf === null ? "#d7191c" : colours[d.codes[cf][i]];
          ctx.fill();
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = "#222222";
          ctx.stroke();
          this._items.push({kind: "point", x: pt.x, y: pt.y, r: 8, i: i, lat: ll[1], lon: ll[0]});
        }
      }
    },

    _hit: function (e) {
      var p = e.containerPoint, best = null, bestD = Infinity;
      for (var k = 0; k < this._items.length; k++) {
        var it = this._items[k], dx = it.x - p.x, dy = it.y - p.y, dd = dx * dx + dy * dy;
        if (dd <= it.r * it.r && dd < bestD) { best = it; bestD = dd; }
      }
      return best;
    },

    // The text of field `f` for record i.
    fieldText: function (f, i) {
      var field = this.meta.fields[f];
      if (field.kind === "dates" && field.start[i] && field.span[i]) {
        return period(field.start[i], field.start[i] + field.span[i] - 1);
      }
      return field.values[this.data.codes[f][i]];
    },

    _text: function (i, fields) {
      var self = this;
      return fields.map(function (f) { return self.fieldText(f, i); })
        .filter(function (v) { return v; }).join(" \u2013 ");
    },

    _hover: function (e) {
      var it = this._hit(e), map = this._map;
      map.getContainer().style.cursor = it ? "pointer" : "";
      if (!it) { this._unhover(); return; }
      var text = it.kind === "point" ? this._text(it.i, this.meta.tooltip_fields)
        : abbreviate(it.count) + " records" + (it.kind === "hex" ? " in this hexagon" : "")
          + "; click to zoom in";
      this._tooltip.setContent(el("span", "mm-point-tip", text)).setLatLng(e.latlng);
      if (!map.hasLayer(this._tooltip)) { this._tooltip.addTo(map); }
    },

    _unhover: function () {
      if (this._map && this._tooltip && this._map.hasLayer(this._tooltip)) {
        this._map.removeLayer(this._tooltip);
      }
    },

    _click: function (e) {
      var it = this._hit(e), map = this._map;
      if (!it) { return; }
      if (it.kind === "hex") {
        map.setView(e.latlng, Math.max(this.meta.hex_zoom, map.getZoom() + 1));
      } else if (it.kind === "cluster") {
        var z = Math.min(this._index().getClusterExpansionZoom(it.id), map.getMaxZoom());
        map.setView([it.lat, it.lon], z);
      } else {
        L.popup(this.meta.popup_options).setLatLng([it.lat, it.lon])
          .setContent(this._popup(it.i)).openOn(map);
      }
    },

    _popup: function (i) {
      var self = this, meta = this.meta, box = el("div", "mm-detail");
      var table = el("table");
      meta.popup_fields.forEach(function (f, k) {
        var value = self.fieldText(f, i);
        if (k === 0) { box.appendChild(el("h4", "", meta.fields[f].label + " " + value)); return; }
        if (!value) { return; }
        var row = el("tr");
        row.appendChild(el("th", "", meta.fields[f].label));
        row.appendChild(el("td", "", value));
        table.appendChild(row);
      });
      box.appendChild(table);
      return box;
    }
  });

  // The first and last year of a year label ("2014", "2014\u20132015"); null without a date.
  function yearSpan(label) {
    if (!label) { return null; }
    var parts = label.split("\u2013");
    return [parseInt(parts[0], 10), parseInt(parts[parts.length - 1], 10)];
  }

  // A year filter for one or more point layers: a range of years, from and to. A record
  // is shown when its period overlaps the range (a record of 2014\u20132015 is shown for
  // 2014, and for 2015); records without a date have their own box.
  var YearControl = L.Control.extend({
    initialize: function (layers, options) {
      L.setOptions(this, options);
      this.layers = layers;
    },
    onAdd: function () {
      var layers = this.layers, labels = [], undated = false, first = null, last = null;
      var box = el("div", "mm-panel mm-years");
      box.appendChild(el("h2", "", "Years shown"));
      if (window.minemapLayers) { window.minemapLayers.foldable(box, "Years", 2); }
      var range = el("div", "mm-years-range");
      var from = el("select", "mm-years-from"), to = el("select", "mm-years-to");
      from.setAttribute("aria-label", "from the year");
      to.setAttribute("aria-label", "to the year");
      range.appendChild(el("span", "", "From "));
      range.appendChild(from);
      range.appendChild(el("span", "", " to "));
      range.appendChild(to);
      var dateless = el("label", "mm-year"), noDate = el("input", "mm-years-undated");
      noDate.type = "checkbox"; noDate.checked = true;
      dateless.appendChild(noDate);
      dateless.appendChild(document.createTextNode(" records with no date"));
      var status = el("p", "mm-years-status", "");
      function shown() {
        var n = 0;
        layers.forEach(function (l) { n += l.count; });
        status.textContent = n.toLocaleString("en") + (n === 1 ? " record shown" : " records shown");
        box.setAttribute("data-mm-shown", String(n));
      }
      function update() {
        var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
        if (a > b) { var t = a; a = b; b = t; from.value = String(a); to.value = String(b); }
        var keep = labels.filter(function (label) {
          var span = yearSpan(label);
          return span === null ? noDate.checked : span[0] <= b && span[1] >= a;
        });
        layers.forEach(function (l) { l.selectYears(keep.length === labels.length ? null : keep); });
        box.setAttribute("data-mm-range", a + "-" + b + (noDate.checked ? "+undated" : ""));
        shown();
      }
      // The years are known once the records are decoded.
      Promise.all(layers.map(function (l) { return l.ready; })).then(function () {
        var seen = {};
        layers.forEach(function (l) { l.yearValues.forEach(function (v) { seen[v] = true; }); });
        labels = Object.keys(seen).sort();
        labels.forEach(function (label) {
          var span = yearSpan(label);
          if (span === null) { undated = true; return; }
          first = first === null ? span[0] : Math.min(first, span[0]);
          last = last === null ? span[1] : Math.max(last, span[1]);
        });
        for (var y = first; y !== null && y <= last; y++) {
          from.appendChild(el("option", "", String(y)));
          to.appendChild(el("option", "", String(y)));
        }
        if (first !== null) { from.value = String(first); to.value = String(last); }
        if (!undated) { dateless.style.display = "none"; }
        shown();
      });
      box.appendChild(range);
      box.appendChild(dateless);
      [from, to, noDate].forEach(function (x) { x.addEventListener("change", update); });
      var all = el("button", "mm-years-all", "All years");
      all.type = "button";
      all.addEventListener("click", function () {
        from.value = String(first); to.value = String(last); noDate.checked = true;
        update();
      });
      box.appendChild(all);
      box.appendChild(status);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });

  // A heat layer over the records shown, built when first switched on.
  var HeatOption = L.Layer.extend({
    initialize: function (points, options) {
      this.points = points;
      this.options = options;
      points.on("filter", this._refresh, this);
    },
    _latlngs: function () {
      var d = this.points.data, out = [];
      this.points.eachShown(function (i) { out.push([d.lat[i], d.lon[i]]); });
      return out;
    },
    _refresh: function () {
      if (this._heat) { this._heat.setLatLngs(this._latlngs()); }
    },
    onAdd: function (map) {
      var self = this;
      this.points.ready.then(function () {
        if (!self._map) { return; }
        self._heat = L.heatLayer(self._latlngs(), self.options).addTo(map);
      });
    },
    onRemove: function (map) {
      if (this._heat) { map.removeLayer(this._heat); this._heat = null; }
    }
  });

  return {
    layer: function (meta, b64) { return new PointLayer(meta, b64); },
    years: function (layers, options) { return new YearControl(layers, options); },
    heat: function (layer, options) { return new HeatOption(layer, options); }
  };
})();
