// 巡堤查险: fill the patrol form's position from the phone's GPS when the browser gives it.
// The form stays a plain POST (an offline queue may hold it); the patrol time is its own field.
(function () {
  "use strict";
  function fill(position) {
    var c = position.coords;
    document.querySelectorAll("form.patrol-form").forEach(function (form) {
      var lat = form.querySelector("input[name=lat]"), lng = form.querySelector("input[name=lng]");
      if (lat && !lat.value) { lat.value = c.latitude.toFixed(6); }
      if (lng && !lng.value) { lng.value = c.longitude.toFixed(6); }
    });
    var status = document.querySelector("[data-geo-status]");
    if (status && status.dataset.geoOk) { status.textContent = status.dataset.geoOk; }
  }
  function start() {
    if (!navigator.geolocation || !document.querySelector("form.patrol-form")) { return; }
    navigator.geolocation.getCurrentPosition(fill, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
