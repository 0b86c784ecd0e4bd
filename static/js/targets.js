// Target dashboard charts (ECharts served locally). Clicking a point opens the records behind it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var sectors = JSON.parse(document.getElementById("sector-data").textContent);
  var list = "/accidents/?region=" + data.region;
  function chart(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el);
    // The CSP allows no inline style: ECharts' HTML tooltip writes style attributes into its
    // markup, the rich-text one draws on the canvas.
    if (option.tooltip) option.tooltip.renderMode = "richText";
    c.setOption(option);
    if (onClick) c.on("click", onClick);
    window.addEventListener("resize", function () { c.resize(); });
  }
  var grid = { left: 40, right: 16, top: 36, bottom: 28 };
  var trendSeries = [{ name: (data.dead_label || "死亡") + "人数", type: "bar", data: data.deaths, label: { show: true, position: "top" } }];
  if (data.projected !== null) {
    var proj = data.deaths.map(function () { return null; });
    proj[proj.length - 1] = data.projected;
    trendSeries.push({ name: "预计年末", type: "scatter", data: proj, symbolSize: 12 });
  }
  if (data.target !== null) {
    trendSeries.push({ name: "年度目标", type: "line", data: data.deaths.map(function () { return data.target; }), symbol: "none", lineStyle: { type: "dashed" } });
  }
  chart("trend-chart", {
    grid: grid, tooltip: { trigger: "axis" }, legend: { top: 0 },
    xAxis: { type: "category", data: data.years }, yAxis: { type: "value" }, series: trendSeries
  }, function (p) { window.location = list + "&year=" + data.years[p.dataIndex]; });
  chart("month-chart", {
    grid: grid, tooltip: { trigger: "axis" }, legend: { top: 0 },
    xAxis: { type: "category", data: data.months }, yAxis: { type: "value" },
    series: [
      { name: String(data.year - 1), type: "line", data: data.last_year },
      { name: String(data.year), type: "bar", data: data.this_year }
    ]
  }, function (p) { window.location = list + "&year=" + p.seriesName; });
  chart("sector-chart", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 起（{d}%）" },
    series: [{
      type: "pie", radius: ["35%", "65%"],
      label: { formatter: function (p) { return p.name + " " + sectors[p.dataIndex].accident_share + "%"; } },
      data: sectors.map(function (s) { return { name: s.name, value: s.accidents }; })
    }]
  }, function (p) { window.location = list + "&year=" + data.year + "&sector=" + sectors[p.dataIndex].sector; });
})();
