// The city map every page draws on (ECharts, served locally): the county outlines come from
// /enterprises/map/<code>.json (registry boundaries); the caller adds its series on the geo
// component "city". One place for the outline, the zoom and the tooltip rules (CSP: no inline
// styles, so the tooltip is rich text drawn on the canvas).
(function () {
  "use strict";
  window.safeloopCityMap = function (el, url, series, legend) {
    var chart = echarts.init(el);
    chart.showLoading({ text: "地图加载中…" });
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (geo) {
        echarts.registerMap("city", geo);
        chart.hideLoading();
        chart.setOption({
          tooltip: { trigger: "item", renderMode: "richText" },
          legend: { top: 0, data: legend || [] },
          geo: {
            map: "city", roam: true, top: 36, bottom: 8,
            label: { show: true, color: "#555", fontSize: 11 },
            itemStyle: { areaColor: "#f3f6f9", borderColor: "#8aa1b8" },
            emphasis: { itemStyle: { areaColor: "#e3ecf5" }, label: { show: true } }
          },
          series: series
        });
      })
      .catch(function () { chart.hideLoading(); el.textContent = "地图暂时无法加载，请查看下方表格。"; });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  };
})();
