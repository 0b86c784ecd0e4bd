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
    } else if (target.closest("[data-fill-clause]")) {
      // The clause hint under a hazard's description: fill the 判定依据 field of the same form.
      var button = target.closest("[data-fill-clause]");
      var form = button.closest("form");
      var field = form ? form.querySelector("input[name=clause]") : null;
      if (field) {
        field.value = button.getAttribute("data-fill-clause");
        field.focus();
      }
    }
  });
})();
