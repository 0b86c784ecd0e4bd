// 挂图作战: the map board (page and big screen). The county outlines come from an immutable URL,
// the figures and the first layers from one data payload; other layers load when switched on.
// The big screen refetches the payload every `refresh` seconds and redraws without a reload.
// CSP: no inline styles, so tooltips are rich text drawn on the canvas and the DOM is built
// with textContent.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("board-config").textContent);
  var L = cfg.labels;
  var screen = cfg.mode === "screen";
  var COLORS = {
    red: "#d7263d", orange: "#f08c00", yellow: "#e8c400", blue: "#2f6fd6", none: "#9ca3af",
    yes: "#b91c1c", no: "#7c3aed", high: "#16a34a", mid: "#f59e0b", low: "#dc2626"
  };
  var SYMBOLS = { "major-hazards": "pin", listings: "triangle", campaigns: "roundRect", inspections: "circle" };
  var PALETTE = ["#2f6fd6", "#16a34a", "#f59e0b", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#ea580c"];
  var mapEl = document.getElementById("board-map");
  var chart = echarts.init(mapEl, screen ? "dark" : null);
  var zeroChart = echarts.init(document.getElementById("board-zero"), screen ? "dark" : null);
  var state = { data: null, features: {}, shown: {}, metric: "open_major", mapName: "board-" + cfg.region };

  function get(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function regionUrl(code) { return cfg.page + "?region=" + encodeURIComponent(code); }

  function metricValue(unit, key) {
    if (key === "death_rate") return unit.death_rate ? unit.death_rate.value : null;
    return unit[key];
  }

  function metricText(unit, key) {
    var v = metricValue(unit, key);
    if (v === null || v === undefined) return L.no_data;
    var m = state.data.metrics.filter(function (x) { return x.key === key; })[0];
    return v + (m ? " " + m.unit : "");
  }

  // ------------------------------------------------------------ series

  function layerDef(key) { return state.data.layers.filter(function (l) { return l.key === key; })[0]; }

  function countOf(f, level) {
    var p = f.properties;
    if (p.counts) return level === null ? p.count : p.counts[level] || 0;
    return p.count;
  }

  function sized(features) {
    var max = 0;
    features.forEach(function (f) {
      var p = f.properties;
      var values = p.counts ? Object.keys(p.counts).map(function (k) { return p.counts[k]; }) : [p.count || 0];
      values.forEach(function (v) { if (v > max) max = v; });
    });
    return function (n) { return n && max ? 5 + 22 * Math.sqrt(n / max) : null; };
  }

  function layerSeries(key) {
    var def = layerDef(key);
    var fc = state.features[key];
    if (!def || !fc) return [];
    var size = sized(fc.features);
    var groups = def.legend.length ? def.legend.slice().reverse() : [[null, def.title]];  // red / overdue drawn last, on top
    var big = fc.features.length > 2000;
    return groups.map(function (g) {
      var items = fc.features.filter(function (f) {
        if (g[0] === null) return true;
        if (f.properties.counts) return countOf(f, g[0]) > 0;
        return f.properties[def.style] === g[0];
      });
      var counted = items.some(function (f) { return f.properties.count; });
      return {
        id: "layer-" + key + "-" + g[0],
        name: def.legend.length ? def.title + "·" + g[1] : def.title,
        type: "scatter",
        coordinateSystem: "geo",
        large: big && !counted,
        symbol: SYMBOLS[key] || "circle",
        symbolSize: function (value) {
          return value[2] ? size(value[2]) : SYMBOLS[key] === "pin" ? 15 : SYMBOLS[key] ? 12 : 6;
        },
        itemStyle: { color: COLORS[g[0]] || (key === "listings" ? "#991b1b" : "#0f4c81"), opacity: 0.85 },
        data: items.map(function (f) {
          var c = f.geometry.coordinates;
          return { name: f.properties.name, value: [c[0], c[1], countOf(f, g[0]) || 0], feature: f, layer: key, level: g[1] };
        }),
        zlevel: 1
      };
    });
  }

  function unitSeries(data) {
    var units = data.units;
    var key = state.metric;
    var series = [];
    var level = data.region.level;
    if (level === "province" || level === "city") {
      series.push({
        id: "units", name: L.county, type: "map", geoIndex: 0,
        data: units.filter(function (u) { return u.kind === "county"; }).map(function (u) {
          var v = metricValue(u, key);
          return { name: u.name, value: v === null || v === undefined ? "-" : v, unit: u };
        })
      });
      series.push({
        id: "zones", name: L.zones, type: "scatter", coordinateSystem: "geo", symbol: "diamond", symbolSize: 16,
        itemStyle: { color: "#0e7490", borderColor: "#fff", borderWidth: 1 },
        label: { show: level === "city", formatter: "{b}", position: "right", fontSize: 11, color: screen ? "#cde" : "#134e4a" },
        data: units.filter(function (u) { return u.kind === "zone" && u.lng !== null; }).map(function (u) {
          return { name: u.name, value: [u.lng, u.lat], unit: u };
        }),
        zlevel: 2
      });
    } else {
      series.push({
        id: "units", name: L.township, type: "scatter", coordinateSystem: "geo", symbol: "circle", symbolSize: 14,
        itemStyle: { borderColor: "#fff", borderWidth: 1 },
        label: { show: true, formatter: "{b}", position: "right", fontSize: 11, color: screen ? "#cde" : "#1f2937" },
        data: units.filter(function (u) { return u.lng !== null; }).map(function (u) {
          var v = metricValue(u, key);
          return { name: u.name, value: [u.lng, u.lat, v === null ? 0 : v], unit: u };
        }),
        zlevel: 2
      });
      series.push({ id: "zones", type: "scatter", coordinateSystem: "geo", data: [] });
    }
    return series;
  }

  function visualMap(data) {
    var key = state.metric;
    var values = data.units.map(function (u) { return metricValue(u, key); }).filter(function (v) { return v !== null && v !== undefined; });
    var max = Math.max.apply(null, values.concat([1]));
    var town = data.region.level === "county" || data.region.level === "township";
    return {
      type: "continuous", min: 0, max: max, seriesIndex: 0, calculable: false,
      dimension: town ? 2 : undefined,
      left: 8, bottom: 8, itemHeight: 90, text: ["", ""],
      inRange: { color: ["#fde8e8", "#f59e8b", "#c81e1e"] },
      textStyle: { color: screen ? "#cde" : "#374151" }
    };
  }

  function tooltip(params) {
    var d = params.data || {};
    if (d.unit) {
      var u = d.unit;
      var lines = [u.name + (u.kind === "zone" ? "（" + L.zone + "）" : "")];
      state.data.metrics.forEach(function (m) {
        var t = metricText(u, m.key);
        if (m.key === "death_rate" && u.death_rate && u.death_rate.reason) t += "（" + u.death_rate.reason + "）";
        lines.push(m.label + "：" + t);
      });
      lines.push(L.enterprises + "：" + u.enterprises);
      return lines.join("\n");
    }
    if (d.feature) {
      var def = layerDef(d.layer);
      var p = d.feature.properties;
      var out = [def.title + "：" + p.name];
      def.fields.forEach(function (f) {
        var v = p[f[0]];
        if (v === undefined || v === "") return;
        if (typeof v === "object") {
          v = def.legend.map(function (g) { return g[1] + " " + (v[g[0]] || 0); }).join("，");
        }
        out.push(f[1] + "：" + v);
      });
      return out.join("\n");
    }
    return params.name || "";
  }

  function draw(first) {
    var data = state.data;
    var series = unitSeries(data);
    Object.keys(state.shown).forEach(function (key) {
      if (state.shown[key]) series = series.concat(layerSeries(key));
    });
    var option = {
      tooltip: { trigger: "item", renderMode: "richText", formatter: tooltip },
      visualMap: visualMap(data),
      series: series
    };
    if (first) {
      option.backgroundColor = screen ? "transparent" : undefined;
      option.geo = {
        map: state.mapName, roam: true, top: 10, bottom: 10, left: 10, right: 10, scaleLimit: { min: 0.8, max: 40 },
        label: { show: data.region.level === "city", color: screen ? "#9fb3c8" : "#555", fontSize: 11 },
        itemStyle: { areaColor: screen ? "#13283f" : "#f3f6f9", borderColor: screen ? "#3b6b99" : "#8aa1b8" },
        emphasis: { itemStyle: { areaColor: screen ? "#1f3d5c" : "#e3ecf5" }, label: { show: true } }
      };
    }
    chart.setOption(option, { replaceMerge: ["series"] });
  }

  // ------------------------------------------------------------ panels

  function crumbs(data) {
    var nav = document.getElementById("board-crumbs");
    nav.textContent = "";
    if (data.parent) {
      nav.appendChild(link(regionUrl(data.parent.code), data.parent.name));
      nav.appendChild(el("span", " › "));
    }
    nav.appendChild(el("strong", data.region.name));
    if (data.region.level !== "township") nav.appendChild(el("span", "（" + L.drill + "）", "muted"));
  }

  function controls(data) {
    var box = document.getElementById("board-layers");
    if (!box.childElementCount) {
      data.layers.forEach(function (l) {
        var label = el("label", null, "board-layer");
        var input = el("input");
        input.type = "checkbox";
        input.value = l.key;
        input.checked = !!l.initial;
        state.shown[l.key] = !!l.initial;
        input.addEventListener("change", function () { toggle(l.key, input.checked); });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + l.title));
        box.appendChild(label);
      });
      var select = document.getElementById("board-metric");
      data.metrics.forEach(function (m) {
        var o = el("option", m.label);
        o.value = m.key;
        select.appendChild(o);
      });
      select.addEventListener("change", function () { state.metric = select.value; draw(false); definition(); table(state.data); });
    }
    var zones = data.units.filter(function (u) { return u.kind === "zone"; }).map(function (u) { return u.name; });
    document.getElementById("board-zones").textContent = zones.length ? L.zones + zones.join("、") : "";
    definition();
  }

  function definition() {
    var m = state.data.metrics.filter(function (x) { return x.key === state.metric; })[0];
    document.getElementById("board-definition").textContent = m ? m.label + "：" + m.definition : "";
  }

  function totals(data) {
    var box = document.getElementById("board-totals");
    box.textContent = "";
    var t = data.totals;
    var rate = t.due ? Math.round(1000 * t.overdue / t.due) / 10 + "%" : L.no_data;
    [[L.enterprises, t.enterprises], [L.open_major, t.open_major], [L.overdue_major, t.overdue_major], [L.overdue_rate, rate]].forEach(function (pair) {
      var card = el("div", null, "board-total");
      card.appendChild(el("span", pair[0], "card-label"));
      card.appendChild(el("strong", pair[1]));
      box.appendChild(card);
    });
    document.getElementById("board-updated").textContent = L.updated + " " + data.generated;
  }

  function table(data) {
    var town = data.region.level === "county" || data.region.level === "township";
    document.getElementById("board-units-title").textContent = town ? L.units_township : L.units_county;
    var t = document.getElementById("board-units");
    var head = t.tHead, body = t.tBodies[0];
    head.textContent = ""; body.textContent = "";
    var cols = [town ? L.township : L.county, L.enterprises, L.red_orange, L.open_major, L.overdue_major, L.overdue_rate];
    if (!town) cols.push(L.death_rate);
    var tr = el("tr");
    cols.forEach(function (c, i) { tr.appendChild(el("th", c, i ? "num" : "")); });
    head.appendChild(tr);
    data.units.forEach(function (u) {
      var row = el("tr");
      var name = el("td");
      name.dataset.label = cols[0];
      name.appendChild(link(regionUrl(u.code), u.name));
      if (u.kind === "zone") name.appendChild(el("small", " " + L.zone, "muted"));
      row.appendChild(name);
      var ledger = cfg.ledger + "?region=" + u.code + "&level=major&list=problems";
      var cells = [
        u.enterprises,
        (u.risk.red || 0) + "/" + (u.risk.orange || 0),
        [u.open_major, ledger],
        [u.overdue_major, ledger + "&overdue=1"],
        u.overdue_rate === null ? L.no_data : u.overdue_rate + "%"
      ];
      if (!town) {
        var dr = u.death_rate || {};
        cells.push(dr.value === null || dr.value === undefined ? L.no_data + (dr.reason ? "（" + dr.reason + "）" : "") : dr.value + "（" + L.workers + " " + dr.workers + "，" + dr.workers_year + L.year + "）");
      }
      cells.forEach(function (c, i) {
        var td = el("td", null, "num");
        td.dataset.label = cols[i + 1];
        if (Array.isArray(c)) td.appendChild(link(c[1], c[0])); else td.textContent = String(c);
        row.appendChild(td);
      });
      body.appendChild(row);
    });
  }

  function zero(data) {
    var z = data.zero;
    var names = {};
    data.units.forEach(function (u) { names[u.code] = u.name; });
    var top = Object.keys(z.units).sort(function (a, b) {
      return z.units[b][z.units[b].length - 1] - z.units[a][z.units[a].length - 1];
    }).slice(0, 6);
    var series = [{
      name: L.total, type: "line", data: z.total, lineStyle: { width: 3 }, symbolSize: 5, itemStyle: { color: "#c81e1e" },
      markLine: { silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#16a34a" }, data: [{ yAxis: 0, name: L.zero_goal }], label: { formatter: L.zero_goal } }
    }];
    top.forEach(function (code, i) {
      series.push({ name: names[code] || code, type: "line", data: z.units[code], symbol: "none", lineStyle: { width: 1.5 }, itemStyle: { color: PALETTE[i % PALETTE.length] } });
    });
    zeroChart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: 11 } },
      grid: { left: 36, right: 10, top: 30, bottom: 24 },
      xAxis: { type: "category", data: z.months.map(function (m) { return m.slice(2); }) },
      yAxis: { type: "value", minInterval: 1, min: 0 },
      series: series
    }, { notMerge: true });
    var list = document.getElementById("board-pastdue");
    list.textContent = "";
    if (!data.pastdue.length) list.appendChild(el("li", L.none_open, "muted"));
    data.pastdue.slice(0, screen ? 8 : 12).forEach(function (h) {
      var li = el("li", null, h.days_overdue ? "late" : "");
      li.appendChild(link(cfg.hazard.replace("/0/", "/" + h.id + "/"), h.enterprise));
      li.appendChild(el("span", " " + h.county + " · " + h.status + " · " + (h.deadline ? L.deadline + " " + h.deadline : L.no_deadline), "muted"));
      if (h.days_overdue) li.appendChild(el("strong", " " + L.overdue_days.replace("{n}", h.days_overdue), "overdue"));
      list.appendChild(li);
    });
  }

  function panels(data) {
    crumbs(data);
    controls(data);
    totals(data);
    table(data);
    zero(data);
  }

  // ------------------------------------------------------------ layers on demand

  function toggle(key, on) {
    state.shown[key] = on;
    if (on && !state.features[key]) {
      chart.showLoading({ text: L.loading });
      get(cfg.layer.replace("__layer__", key) + "?region=" + encodeURIComponent(cfg.region))
        .then(function (fc) { state.features[key] = fc; chart.hideLoading(); draw(false); })
        .catch(function () { chart.hideLoading(); });
      return;
    }
    draw(false);
  }

  function refresh() {
    get(cfg.data).then(function (data) {
      state.data = data;
      Object.keys(data.features).forEach(function (k) { state.features[k] = data.features[k]; });
      var lazy = Object.keys(state.shown).filter(function (k) { return state.shown[k] && !(k in data.features); });
      Promise.all(lazy.map(function (k) {
        return get(cfg.layer.replace("__layer__", k) + "?region=" + encodeURIComponent(cfg.region)).then(function (fc) { state.features[k] = fc; });
      })).then(function () { draw(false); panels(data); });
    }).catch(function () { /* keep the last picture; the next round tries again */ });
  }

  chart.on("click", function (params) {
    var d = params.data || {};
    if (d.unit && d.unit.kind !== "zone" || params.seriesType === "map" && d.unit) {
      window.location.href = regionUrl(d.unit.code);
    } else if (d.feature && d.feature.properties.url && !screen) {
      window.location.href = d.feature.properties.url;
    }
  });

  chart.showLoading({ text: L.loading });
  Promise.all([get(cfg.outline), get(cfg.data)]).then(function (both) {
    var outline = both[0], data = both[1];
    echarts.registerMap(state.mapName, outline);
    state.data = data;
    Object.keys(data.features).forEach(function (k) { state.features[k] = data.features[k]; });
    chart.hideLoading();
    panels(data);
    draw(true);
    document.body.dataset.boardReady = "1";
    if (cfg.refresh) window.setInterval(refresh, cfg.refresh * 1000);
  }).catch(function () {
    chart.hideLoading();
    mapEl.textContent = L.load_failed;
    document.body.dataset.boardReady = "error";
  });
  window.addEventListener("resize", function () { chart.resize(); zeroChart.resize(); });
  window.safeloopBoard = { refresh: refresh, state: state };
})();
