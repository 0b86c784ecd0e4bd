// The self-inspection checklist: each item's form saves itself on every change (htmx). Two
// things htmx does not do by itself here:
// - a 409 (someone else saved this item meanwhile) comes with the item as now saved: show it;
// - a request that never reached the server (the phone lost its connection) is marked 未保存
//   and sent again, with what the form holds then, as soon as the browser is back online.
(function () {
  "use strict";
  var pending = new Set();

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409 && event.detail.elt.closest("[data-checklist-item]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function mark(form, text) {
    var state = form.closest(".checklist-item").querySelector(".item-state");
    if (state && text) {
      state.dataset.state = "error";
      state.textContent = text;
    }
  }

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt.closest("[data-checklist-item]");
    if (!form) return;
    pending.add(form);
    mark(form, form.dataset.offline);
  });

  window.addEventListener("online", function () {
    pending.forEach(function (form) {
      if (form.isConnected) window.htmx.trigger(form, "change");
    });
    pending.clear();
  });
})();
