// Behaviour the templates ask for with data attributes: the Content-Security-Policy allows no
// inline script and no inline event handler (onclick=…), so every page loads this file instead.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("[data-back]")) {
      event.preventDefault();
      window.history.back();
    } else if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
