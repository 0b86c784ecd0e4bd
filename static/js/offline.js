// Field work with no signal (docs/offline.md). Loaded on every page.
// - Registers the service worker and tells it who is signed in and which field pages to keep.
// - A form with data-queue="<kind>" is not posted by the browser: what it holds (photos resized
//   on the phone, their EXIF time and GPS kept) goes into IndexedDB (`idb`) with a new
//   Idempotency-Key and the phone's time, then is sent; with no network it waits in the 待上传
//   list (/offline/) and is sent on page load, on `online` and when Background Sync wakes a page.
// - What the server answered a key is asked at /offline/receipts/<key>, so an upload that broke
//   off midway is neither lost nor sent twice. A stale version is a conflict the user redoes or
//   drops; an expired session keeps the queue until the user signs in again.
// - Logout warns with the unsent items and deletes them (and this user's kept pages) only when
//   confirmed. Texts come from the page (#offline-text), translated there.
/* global idb, exifr, piexif */
(function () {
  "use strict";
  var LONG_SIDE = 2000;
  var JPEG_QUALITY = 0.85;
  var TEXT = {};
  var dbPromise = null;
  var flushing = null;
  var SESSION_URL = "/offline/session.json";

  function t(name, values) {
    var s = TEXT[name] || name;
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }

  function db() {
    if (!dbPromise) {
      dbPromise = idb.openDB("safeloop-offline", 1, {
        upgrade: function (d) {
          var store = d.createObjectStore("queue", { keyPath: "key" });
          store.createIndex("user", "user");
        },
      });
    }
    return dbPromise;
  }

  function currentUser() { return document.body ? document.body.dataset.user || "" : ""; }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function isoLocal(date) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var off = -date.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }

  function shown(iso) {
    if (!iso) { return ""; }
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString("zh-CN", { hour12: false });
  }

  // ------------------------------------------------------------------ photos on the phone

  function binaryOf(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return out;
  }

  function blobOfBinary(binary) {
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return new Blob([bytes], { type: "image/jpeg" });
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () { return createImageBitmap(file); });
    }
    return Promise.reject(new Error("no decoder"));
  }

  // Long side at most 2,000 px, JPEG; the original's EXIF (time, GPS) written into the result
  // (piexifjs), orientation reset as the pixels are now upright. What cannot be decoded here
  // (PDF, HEIC on most phones) is queued as it is.
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return Promise.resolve({ blob: file, filename: file.name, exifTime: null });
    }
    var exifTime = null;
    var meta = window.exifr ? exifr.parse(file, ["DateTimeOriginal", "CreateDate"]).catch(function () { return null; }) : Promise.resolve(null);
    return meta.then(function (m) {
      var when = m && (m.DateTimeOriginal || m.CreateDate);
      exifTime = when instanceof Date && !isNaN(when) ? isoLocal(when) : null;
      return decode(file);
    }).then(function (bitmap) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY); }).then(function (jpeg) {
        return Promise.all([jpeg.arrayBuffer(), file.type === "image/jpeg" ? file.arrayBuffer() : null, canvas]);
      });
    }).then(function (parts) {
      var out = binaryOf(parts[0]);
      if (parts[1] && window.piexif) {
        try {
          var exif = piexif.load(binaryOf(parts[1]));
          exif["0th"][piexif.ImageIFD.Orientation] = 1;
          exif.Exif[piexif.ExifIFD.PixelXDimension] = parts[2].width;
          exif.Exif[piexif.ExifIFD.PixelYDimension] = parts[2].height;
          exif.thumbnail = null;
          out = piexif.insert(piexif.dump(exif), out);
        } catch (e) { /* no EXIF in the original: the phone's time stands */ }
      }
      var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
      return { blob: blobOfBinary(out), filename: name, exifTime: exifTime };
    }).catch(function () {
      return { blob: file, filename: file.name, exifTime: exifTime };
    });
  }

  // ------------------------------------------------------------------ the queue

  function capture(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var fields = [];
    var files = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "_idempotency_key") { return; }
      if (value instanceof File) { if (value.size) { files.push([name, value]); } } else { fields.push([name, value]); }
    });
    var now = new Date();
    if (!data.has("captured_at")) { fields.push(["captured_at", isoLocal(now)]); }
    return Promise.all(files.map(function (f) {
      return shrink(f[1]).then(function (s) { return { name: f[0], blob: s.blob, filename: s.filename, exifTime: s.exifTime }; });
    })).then(function (shrunk) {
      var summary = data.get("description") || data.get("note") || data.get("result") || "";
      return {
        key: newKey(),
        user: currentUser(),
        kind: form.dataset.queue,
        label: form.dataset.queueLabel || form.dataset.queue,
        url: form.getAttribute("action") || location.pathname,
        page: location.pathname,
        htmx: form.hasAttribute("hx-post"),
        target: form.getAttribute("hx-target") || "",
        replace: form.hasAttribute("data-queue-replace"),
        hazard: form.dataset.queueHazard || "",
        since: form.dataset.queueSince || "",
        summary: String(summary).slice(0, 80),
        fields: fields,
        files: shrunk,
        queuedAt: isoLocal(now),
        state: "pending",
        message: "",
      };
    });
  }

  function itemsOf(user) {
    return db().then(function (d) { return d.getAllFromIndex("queue", "user", user); })
      .then(function (items) { return items.sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; }); });
  }

  function save(item) {
    return db().then(function (d) {
      if (!item.replace) { return d.put("queue", item); }
      // An answer changed again before it was sent: the newer one replaces the unsent one.
      return itemsOf(item.user).then(function (items) {
        var tx = d.transaction("queue", "readwrite");
        items.forEach(function (old) {
          if (old.url === item.url && old.state === "pending") { tx.store.delete(old.key); }
        });
        tx.store.put(item);
        return tx.done;
      });
    });
  }

  function drop(key) { return db().then(function (d) { return d.delete("queue", key); }); }

  function session() {
    return fetch(SESSION_URL, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 401) { return { signed_in: false }; }
      if (!r.ok) { throw new Error("session " + r.status); }
      return r.json();
    });
  }

  function receipt(key) {
    return fetch("/offline/receipts/" + encodeURIComponent(key), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 404) { return null; }
        if (r.status === 401) { return { login: true }; }
        if (!r.ok) { throw new Error("receipt " + r.status); }
        return r.json();
      });
  }

  function bodyOf(item) {
    var body = new FormData();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    item.files.forEach(function (f) { body.append(f.name, f.blob, f.filename); });
    item.files.forEach(function (f) { if (f.exifTime) { body.append("exif_time", f.exifTime); } });
    return body;
  }

  // Send one item; resolves to "done" (removed), "later" (still pending), "login", "conflict"
  // or "refused" (kept with its message, for the user to redo or drop).
  function send(item, sess) {
    if (item.native) {
      // Posted by the browser: the user saw the answer if it came. Only one that never reached
      // the server is sent again (from the queue's copy, under the same key).
      return receipt(item.key).then(function (found) {
        if (found && found.login) { return { outcome: "later", item: item }; }
        if (found) { return drop(item.key).then(function () { return { outcome: "done", item: item }; }); }
        item.native = false;
        return send(item, sess);
      }, function () { return { outcome: "later", item: item }; });
    }
    var headers = { "Idempotency-Key": item.key, "X-CSRFToken": sess.csrf };
    if (item.htmx) { headers["HX-Request"] = "true"; }
    var answer = null;
    return fetch(item.url, {
      method: "POST", body: bodyOf(item), headers: headers, credentials: "same-origin",
      redirect: item.htmx ? "follow" : "manual",
    }).then(function (r) {
      answer = r;
      // A page answered directly (not a redirect): the form again, with the server's messages.
      return (item.htmx && r.ok) || (r.type === "basic" && r.status < 500 && r.status !== 403) ? r.text() : "";
    }, function () { return ""; }).then(function (html) {
      item.html = html;
      return receipt(item.key).then(function (found) {
        if (found && found.login) { return "login"; }
        if (!found) { return answer && answer.status === 403 ? "login" : "later"; }
        item.answer = found;
        if (/^409/.test(found.refusal) || found.status === 409) { return "conflict"; }
        if (found.status >= 400 || /^4\d\d/.test(found.refusal)) { return "refused"; }
        return "done";
      });
    }).catch(function () { return "later"; }).then(function (outcome) {
      if (outcome === "done") { return drop(item.key).then(function () { return { outcome: outcome, item: item }; }); }
      if (outcome === "later") { return { outcome: outcome, item: item }; }
      item.state = outcome;
      item.message = t(outcome);
      var keptHtml = item.html;
      delete item.html;
      return conflictDetail(item).then(function () { return db(); })
        .then(function (d) { return d.put("queue", item); })
        .then(function () { item.html = keptHtml; return { outcome: outcome, item: item }; });
    });
  }

  function conflictDetail(item) {
    if (item.state !== "conflict" || !item.hazard) { return Promise.resolve(); }
    return fetch("/offline/hazards/" + item.hazard + "/state.json?since=" + encodeURIComponent(item.since), { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; }).then(function (state) {
        if (!state) { return; }
        item.now = state;
        var steps = state.events.map(function (e) { return e.at + " " + e.actor + " " + e.action + (e.to_status ? " → " + e.to_status : ""); });
        item.message = t("conflict_detail", { code: state.code, status: state.status }) + (steps.length ? "：" + steps.join("；") : "");
      }).catch(function () {});
  }

  function flush() {
    var user = currentUser();
    if (flushing) { return flushing; }
    flushing = (user ? itemsOf(user) : Promise.resolve([])).then(function (items) {
      var pending = items.filter(function (i) { return i.state === "pending" || i.state === "login"; });
      if (!pending.length) { return []; }
      return session().then(function (sess) {
        if (!sess.signed_in || String(sess.user) !== String(user)) { return []; }
        var results = [];
        return pending.reduce(function (chain, item) {
          return chain.then(function () { return send(item, sess).then(function (r) { results.push(r); }); });
        }, Promise.resolve()).then(function () { return results; });
      }).catch(function () { return []; });
    }).then(function (results) {
      flushing = null;
      refresh();
      return results;
    }, function () { flushing = null; return []; });
    return flushing;
  }

  function askForSync() {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register("safeloop-queue"); }
    }).catch(function () {});
  }

  // ------------------------------------------------------------------ the page

  function notice(form, text, link) {
    var box = form.querySelector(".queue-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "queue-notice";
      box.setAttribute("role", "status");
      form.appendChild(box);
    }
    box.textContent = text + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = "/offline/";
      a.textContent = t("open_queue");
      box.appendChild(a);
    }
  }

  function queueForm(form, submitter) {
    if (form.dataset.queueBusy) { return; }
    form.dataset.queueBusy = "1";
    notice(form, t("saving"));
    capture(form, submitter).then(function (item) {
      return save(item).then(function () { return item; });
    }).then(function (item) {
      askForSync();
      return flush().then(function (results) {
        var mine = results.filter(function (r) { return r.item.key === item.key; })[0];
        delete form.dataset.queueBusy;
        if (mine && mine.outcome === "done") {
          if (item.htmx && mine.item.html && item.target && window.htmx) {
            window.htmx.swap(item.target, mine.item.html, { swapStyle: "outerHTML" });
            return;
          }
          location.assign(mine.item.answer.location || item.page);
          return;
        }
        if (mine && mine.outcome === "refused" && mine.item.html && !item.htmx) {
          // Online, a refused form behaves as without the queue: the page with its messages
          // beside the fields and what was typed (the files have to be chosen again).
          drop(item.key).then(function () {
            document.open();
            document.write(mine.item.html);
            document.close();
          });
          return;
        }
        if (mine && mine.outcome !== "later") { notice(form, mine.item.message, true); return; }
        if (item.htmx) {
          var state = form.closest("article") && form.closest("article").querySelector(".item-state");
          if (state) { state.dataset.state = "queued"; state.textContent = t("queued_short"); }
        }
        notice(form, t("queued"), true);
      });
    }).catch(function () {
      delete form.dataset.queueBusy;
      notice(form, t("failed"));
    });
  }

  // Online, the browser posts the form itself as it always did, carrying the key as a field; a copy
  // waits in the queue until the next page asks the server whether it arrived (an upload cut off
  // midway is then sent again). Offline, the queue keeps it and sends it when it can.
  function postNatively(form, submitter) {
    var key = newKey();
    var field = form.querySelector("input[name=_idempotency_key]") || document.createElement("input");
    field.type = "hidden";
    field.name = "_idempotency_key";
    field.value = key;
    form.appendChild(field);
    // The copy is kept while the browser posts (best effort: a page that unloads first keeps none).
    capture(form, submitter).then(function (item) {
      item.key = key;
      item.native = true;
      return save(item);
    }).catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-queue]")) { return; }
    if (navigator.onLine && !form.hasAttribute("hx-post")) { postNatively(form, event.submitter); return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.dataset.queueBusy) { return; }
    queueForm(form, event.submitter);
  }, true);

  // htmx forms that save on change (checklist answers): the queue sends them instead of htmx.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-queue]") || navigator.onLine) { return; }
    event.preventDefault();
    queueForm(form, null);
  });

  function refresh() {
    var user = currentUser();
    var badge = document.querySelector("[data-queue-count]");
    var list = document.getElementById("offline-queue");
    if (!user) {
      var waiting = document.querySelector("[data-queue-login]");
      if (!waiting) { return Promise.resolve(); }
      return db().then(function (d) { return d.count("queue"); }).then(function (n) {
        waiting.hidden = !n;
        waiting.textContent = t("waiting_login", { n: n });
      }).catch(function () {});
    }
    return itemsOf(user).then(function (items) {
      if (badge) {
        badge.hidden = !items.length;
        var n = badge.querySelector("b");
        if (n) { n.textContent = String(items.length); }
      }
      if (list) { draw(list, items); }
    }).catch(function () {});
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function draw(list, items) {
    list.textContent = "";
    var empty = document.getElementById("offline-queue-empty");
    if (empty) { empty.hidden = items.length > 0; }
    items.forEach(function (item) {
      var li = el("li", "queue-item queue-" + item.state);
      li.dataset.key = item.key;
      li.dataset.state = item.state;
      li.appendChild(el("b", "", item.label));
      if (item.summary) { li.appendChild(el("span", "", " " + item.summary)); }
      var when = el("small", "muted", " " + t("queued_at", { at: shown(item.queuedAt) }) +
        (item.files.length ? " · " + t("photos", { n: item.files.length }) : ""));
      li.appendChild(when);
      li.appendChild(el("span", "queue-state", t("state_" + item.state)));
      if (item.message) { li.appendChild(el("p", "queue-message", item.message)); }
      var actions = el("div", "queue-actions");
      if (item.state === "conflict" && item.now) {
        var redo = el("button", "primary", t("redo"));
        redo.type = "button";
        redo.dataset.queueRedo = item.key;
        actions.appendChild(redo);
      } else if (item.state === "conflict" || item.state === "refused") {
        var again = el("a", "button", t("redo_form"));
        again.href = item.page;
        actions.appendChild(again);
      }
      var dropButton = el("button", "", t("drop"));
      dropButton.type = "button";
      dropButton.dataset.queueDrop = item.key;
      actions.appendChild(dropButton);
      li.appendChild(actions);
      list.appendChild(li);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var dropKey = target.getAttribute("data-queue-drop");
    var redoKey = target.getAttribute("data-queue-redo");
    if (dropKey) {
      if (!window.confirm(t("drop_confirm"))) { return; }
      drop(dropKey).then(refresh);
    } else if (redoKey) {
      // Redo on the hazard as it is now: its current version, a new key (a new request).
      db().then(function (d) { return d.get("queue", redoKey); }).then(function (item) {
        if (!item || !item.now) { return; }
        return drop(item.key).then(function () {
          item.fields = item.fields.map(function (f) { return f[0] === "version" ? ["version", String(item.now.version)] : f; });
          item.key = newKey();
          item.state = "pending";
          item.message = "";
          item.since = "";
          delete item.now;
          delete item.answer;
          return db().then(function (d) { return d.put("queue", item); });
        });
      }).then(flush);
    } else if (target.matches("[data-queue-send]")) {
      flush();
    }
  });

  // ------------------------------------------------------------------ logout on a shared phone

  function forget(user) {
    var done = [];
    if (window.caches) {
      done.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n === "safeloop-user-" + user; }).map(function (n) { return caches.delete(n); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "logout", user: user });
    }
    return Promise.all(done);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-logout]")) { return; }
    var user = currentUser();
    event.preventDefault();
    itemsOf(user).catch(function () { return []; }).then(function (items) {
      if (!items.length) { return forget(user).then(function () { form.submit(); }); }
      var dialog = document.getElementById("logout-warning");
      var list = dialog.querySelector("ul");
      list.textContent = "";
      items.forEach(function (item) {
        list.appendChild(el("li", "", item.label + (item.summary ? "：" + item.summary : "") + "（" + shown(item.queuedAt) + "）"));
      });
      dialog.querySelector("[data-count]").textContent = String(items.length);
      dialog.showModal();
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        if (dialog.returnValue !== "confirm") { return; }
        Promise.all(items.map(function (i) { return drop(i.key); })).then(function () { return forget(user); })
          .then(function () { form.submit(); });
      });
    });
  }, true);

  // ------------------------------------------------------------------ start

  function banner() {
    var box = document.querySelector("[data-offline-banner]");
    if (!box) { return; }
    var copy = document.documentElement.dataset.offlineCopy;
    if (copy !== undefined) {
      box.textContent = t("offline_copy", { at: shown(copy) || t("unknown_time") });
      box.hidden = false;
    } else if (!navigator.onLine) {
      box.textContent = t("offline_now");
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  function tellWorker() {
    var user = currentUser();
    if (!navigator.serviceWorker || document.documentElement.dataset.offlineCopy !== undefined) { return; }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      if (!user || !navigator.onLine) { return; }
      return session().then(function (sess) {
        if (sess.signed_in && reg.active) {
          // The field pages are kept when the worker answers: the page says so (data-offline-ready).
          var channel = new MessageChannel();
          channel.port1.onmessage = function () { document.documentElement.dataset.offlineReady = "1"; };
          reg.active.postMessage({ type: "user", user: String(sess.user), pages: sess.pages }, [channel.port2]);
        }
      });
    }).catch(function () {});
  }

  function start() {
    var text = document.getElementById("offline-text");
    TEXT = text ? JSON.parse(text.textContent) : {};
    banner();
    tellWorker();
    refresh();
    if (currentUser()) { flush(); }
    window.addEventListener("online", function () { banner(); flush(); });
    window.addEventListener("offline", banner);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "flush") { flush(); }
      });
    }
  }

  window.SafeLoopQueue = { flush: flush, items: itemsOf };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
