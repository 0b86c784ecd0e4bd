// 打非治违 clue form: fill the latitude and longitude from the phone's GPS when the browser gives
// it (the fields stay editable; without permission the user types them or leaves them empty).
// No inline script: the CSP allows only files from static/.
(function () {
  "use strict";
  function fill(position) {
    var c = position.coords;
    var lat = document.querySelector("form.clue-form input[name=lat]");
    var lng = document.querySelector("form.clue-form input[name=lng]");
    if (lat && !lat.value) { lat.value = c.latitude.toFixed(6); }
    if (lng && !lng.value) { lng.value = c.longitude.toFixed(6); }
    var status = document.querySelector("[data-geo-status]");
    if (status && status.dataset.geoOk) { status.textContent = status.dataset.geoOk; }
  }
  function start() {
    if (!navigator.geolocation || !document.querySelector("form.clue-form")) { return; }
    navigator.geolocation.getCurrentPosition(fill, function () {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
