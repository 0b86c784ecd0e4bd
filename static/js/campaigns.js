// Campaign progress chart (ECharts served locally): targets, done and hazards by unit, laggards first.
(function () {
  "use strict";
  var el = document.getElementById("progress-chart");
  var source = document.getElementById("campaign-chart");
  if (!el || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var c = echarts.init(el);
  c.setOption({
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 48 },
    xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value" },
    series: [
      { name: "对象企业", type: "bar", data: data.targets },
      { name: "已完成排查", type: "bar", data: data.done },
      { name: "发现隐患", type: "line", data: data.hazards }
    ]
  });
  window.addEventListener("resize", function () { c.resize(); });
})();
