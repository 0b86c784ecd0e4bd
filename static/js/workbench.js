// Workbench charts (ECharts served locally). The data comes from the page (json_script
// "workbench-charts"); every bar and point carries the address of the list it counts, and a
// click opens it. Each chart's numbers are also in the table under it.
(function () {
  "use strict";
  var source = document.getElementById("workbench-charts");
  if (!source || typeof echarts === "undefined") return;
  var specs = JSON.parse(source.textContent);
  var narrow = window.matchMedia("(max-width: 600px)").matches;

  function shown(value, unit) {
    return value === null || value === undefined ? "—" : value + unit;
  }

  function tooltip(spec) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) return "";
      var lines = [spec.labels[list[0].dataIndex]];
      list.forEach(function (p) {
        var d = p.data || {};
        var text = shown(d.value, spec.unit);
        if (d.of !== null && d.of !== undefined) text += "（" + d.count + "/" + d.of + "）";
        lines.push(p.marker + p.seriesName + "：" + text);
      });
      return lines.join("\n");  // rich text: the CSP allows no inline style (HTML tooltips write some)
    };
  }

  function option(spec) {
    var horizontal = spec.kind === "hbar";
    var categories = {
      type: "category", data: spec.categories, inverse: horizontal,
      axisLabel: horizontal ? { width: narrow ? 96 : 160, overflow: "truncate" } : { hideOverlap: true }
    };
    var values = {
      type: "value", minInterval: 1,
      axisLabel: { formatter: function (v) { return spec.unit || Number.isInteger(v) ? v + spec.unit : ""; } }
    };
    if (spec.unit === "%") values.max = 100;
    var series = spec.series.map(function (s) {
      return {
        name: s.name, type: spec.kind === "line" ? "line" : "bar", data: s.data, cursor: "pointer",
        symbolSize: narrow ? 6 : 9, barMaxWidth: 28,
        label: {
          show: spec.kind !== "line", position: horizontal ? "right" : "top",
          formatter: function (p) { return p.data.value === null ? "" : p.data.value + spec.unit; }
        }
      };
    });
    return {
      animation: false, // weak intranet PCs and phones: draw once, at once
      grid: { left: 8, right: horizontal ? 48 : 16, top: spec.series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
      legend: { show: spec.series.length > 1, top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: horizontal ? "shadow" : "line" }, confine: true, renderMode: "richText", formatter: tooltip(spec) },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: series
    };
  }

  specs.forEach(function (spec) {
    var node = document.getElementById("chart-" + spec.id);
    if (!node) return;
    if (spec.kind === "hbar") {
      node.style.height = Math.max(180, 56 + spec.categories.length * spec.series.length * 24) + "px";
    }
    var chart = echarts.init(node);
    chart.setOption(option(spec));
    chart.on("click", function (p) {
      if (p.data && p.data.url) window.location.href = p.data.url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
