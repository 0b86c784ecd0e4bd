// Behaviour the templates ask for with data attributes: the Content-Security-Policy allows no
// inline script and no inline event handler (onclick=…), so every page loads this file instead.
(function () {
  "use strict";
  // The menu's drop-down groups (<details data-menu-group>): one open at a time, closed by a
  // click elsewhere or Escape.
  function closeMenuGroups(except) {
    document.querySelectorAll("details[data-menu-group][open]").forEach(function (group) {
      if (group !== except) group.removeAttribute("open");
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenuGroups(null);
  });
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    closeMenuGroups(target.closest("details[data-menu-group]"));
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
