// The public report form: fill latitude and longitude from the phone's position, on request only.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) return;
    var status = document.querySelector("[data-locate-status]");
    var say = function (text) { if (status) status.textContent = text; };
    if (!navigator.geolocation) { say("此浏览器不能获取位置，请在“具体位置”中描述"); return; }
    say("正在获取位置…");
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = document.querySelector("[name=lat]"), lng = document.querySelector("[name=lng]");
      if (lat) lat.value = position.coords.latitude.toFixed(6);
      if (lng) lng.value = position.coords.longitude.toFixed(6);
      say("已填入当前位置");
    }, function () { say("未能获取位置，请在“具体位置”中描述"); }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();
