// The matching page's map: each expert (orange, larger for more enterprises), the enterprises
// matched to them (blue) with a line between, the unmatched (red).
(function () {
  "use strict";
  var node = document.getElementById("map-data");
  var el = document.getElementById("matching-map");
  if (!node || !el) return;
  var d = JSON.parse(node.textContent);
  var series = [
    { name: "专家—企业", type: "lines", coordinateSystem: "geo", data: d.lines, silent: false,
      lineStyle: { color: "#5b8ff9", opacity: 0.35, width: 1 } },
    { name: "已匹配企业", type: "scatter", coordinateSystem: "geo", data: d.enterprises, symbolSize: 5,
      itemStyle: { color: "#1f6feb" } },
    { name: "未匹配企业", type: "scatter", coordinateSystem: "geo", data: d.unmatched, symbolSize: 7,
      itemStyle: { color: "#d1242f" } },
    { name: "专家", type: "scatter", coordinateSystem: "geo", data: d.experts, symbol: "diamond",
      symbolSize: function (v, p) { return 8 + Math.min(12, (p.data.count || 1) * 1.5); },
      itemStyle: { color: "#e8871e" },
      tooltip: { formatter: function (p) { return p.name + "（" + p.data.count + " 家）"; } } }
  ];
  window.safeloopCityMap(el, d.boundaries, series, ["专家", "已匹配企业", "未匹配企业", "专家—企业"]);
})();
