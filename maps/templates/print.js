/*
 * PNG export (maps/png.py): run in the page of a drawn map by headless Chromium.
 * Injected after the page has loaded; defines window.minemapPrint.
 */
(function () {
  "use strict";

  // Drawn: the map marked itself drawn and no pan, zoom or cluster animation runs
  // (the folium map is a global named after the map div's id).
  function ready() {
    var el = document.querySelector(".folium-map");
    if (!el || el.dataset.mmDrawn !== "true") { return false; }
    var m = window[el.id];
    if (!m || m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) { return false; }
    return !document.querySelector(".leaflet-cluster-anim");
  }

  // A north arrow at the top right, then two animation frames: drawn with the print CSS.
  // The panels are laid out again first, the legend kept open (a print needs it whole).
  function addNorthArrow() {
    var map = document.querySelector(".folium-map");
    var corner = document.querySelector(".leaflet-top.leaflet-right");
    var arrow = document.createElement("div");
    arrow.className = "leaflet-control mm-north";
    arrow.title = "North";
    arrow.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="40" ' +
      'role="img" aria-label="North arrow"><text x="12" y="12" text-anchor="middle" ' +
      'style="font: bold 13px sans-serif" fill="#222">N</text>' +
      '<polygon points="12,15 20,38 12,32 4,38" fill="#222"/></svg>';
    if (corner && !corner.querySelector(".mm-north")) { corner.prepend(arrow); }
    map.classList.add("mm-keep-legend");
    var m = window[map.id];
    if (m && m.mmRelayout) { m.mmRelayout(); }
    return new Promise(function (r) {
      requestAnimationFrame(function () { requestAnimationFrame(r); });
    });
  }

  // What a report needs in the frame (name -> selector): each must be visible, inside
  // the viewport and clear of the others. Returns the problems found.
  function check(needed) {
    var W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
    function box(sel) {
      var el = document.querySelector(sel);
      return el && el.getClientRects().length ? el.getBoundingClientRect() : null;
    }
    var boxes = Object.keys(needed).map(function (name) {
      return [name, needed[name], box(needed[name])];
    });
    var problems = [];
    boxes.forEach(function (b) {
      var r = b[2];
      if (!r || !r.width || !r.height) { problems.push(b[0] + " (" + b[1] + ") is missing"); }
      else if (r.left < 0 || r.top < 0 || r.right > W + 0.5 || r.bottom > H + 0.5) {
        problems.push(b[0] + " does not fit");
      } else {
        var el = document.querySelector(b[1]);  // a panel shown whole, not cut to scroll
        if (el.classList.contains("mm-panel") && (el.scrollHeight > el.clientHeight + 1 ||
            el.scrollWidth > el.clientWidth + 1)) {
          problems.push(b[0] + " does not fit (it would be cut)");
        }
      }
    });
    boxes.forEach(function (p, i) {
      boxes.slice(i + 1).forEach(function (q) {
        var a = p[2], b = q[2];
        if (a && b && a.left < b.right && b.left < a.right && a.top < b.bottom &&
            b.top < a.bottom) {
          problems.push(p[0] + " and " + q[0] + " overlap");
        }
      });
    });
    return problems;
  }

  window.minemapPrint = {ready: ready, addNorthArrow: addNorthArrow, check: check};
})();
