// 扫码入企: fill the check-in forms' position from the phone's GPS when the browser gives it.
// Without permission (or without GPS) the forms still submit; the check-in is then recorded
// without a position. No inline script: the CSP allows only files from static/.
(function () {
  "use strict";
  function fill(position) {
    var c = position.coords;
    document.querySelectorAll("form.checkin-form").forEach(function (form) {
      form.querySelector("input[name=lat]").value = c.latitude.toFixed(6);
      form.querySelector("input[name=lng]").value = c.longitude.toFixed(6);
      form.querySelector("input[name=accuracy]").value = Math.round(c.accuracy || 0);
    });
    var status = document.querySelector("[data-geo-status]");
    if (status && status.dataset.geoOk) { status.textContent = status.dataset.geoOk; }
  }
  function start() {
    if (!navigator.geolocation || !document.querySelector("form.checkin-form")) { return; }
    navigator.geolocation.getCurrentPosition(fill, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
