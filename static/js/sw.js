/* SafeLoop service worker (docs/offline.md). Served at /sw.js by workbench/offline.py, which
 * puts `self.SAFELOOP_SW = {vendor, shell, fallback, version}` in front of this file.
 *
 * - The shell (CSS, JS, icons, the "not kept on this phone" page) is kept in one cache per
 *   shell version; static files (hashed names) are kept as they are fetched.
 * - Pages are network-first. The pages a signed-in user opens, and the field pages of their role
 *   (told by the page, `{type: "user"}`), are kept in that user's own cache; with no network the
 *   kept copy is served, marked `data-offline-copy` (the page says it is an offline copy and
 *   when it was synced). Only the cache of the user the pages last named is ever read; another
 *   user's cache is deleted when someone else signs in, and the user's own at logout.
 * - POSTs never pass through a cache: the queue (static/js/offline.js) sends them itself, each
 *   with its Idempotency-Key. Background Sync, where the browser has it, only wakes a page to
 *   send its queue; the retry on page load and on `online` runs everywhere.
 */
/* global workbox */
(function () {
  "use strict";
  var cfg = self.SAFELOOP_SW;
  cfg.vendor.forEach(function (src) { importScripts(src); });
  var routing = workbox.routing;
  var strategies = workbox.strategies;
  var SHELL = "safeloop-shell-" + cfg.version;
  var STATIC = "safeloop-static";
  var META = "safeloop-meta";
  var USER_PREFIX = "safeloop-user-";
  var USER_KEY = "/__safeloop/user";

  function currentUser() {
    return caches.open(META).then(function (cache) { return cache.match(USER_KEY); })
      .then(function (r) { return r ? r.text() : ""; });
  }

  function setUser(user) {
    return caches.open(META).then(function (cache) {
      return user ? cache.put(USER_KEY, new Response(String(user))) : cache.delete(USER_KEY);
    }).then(function () {
      return caches.keys();
    }).then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf(USER_PREFIX) === 0 && n !== USER_PREFIX + user;
      }).map(function (n) { return caches.delete(n); }));
    });
  }

  function keepable(response) {
    return response && response.status === 200 && !response.redirected && response.type === "basic";
  }

  function stamped(response, syncedAt) {
    return response.text().then(function (html) {
      var at = syncedAt || response.headers.get("SafeLoop-Synced-At") || "";
      html = html.replace("<html ", '<html data-offline-copy="' + at + '" ');
      return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  }

  function withSyncTime(response) {
    var headers = new Headers(response.headers);
    headers.set("SafeLoop-Synced-At", new Date().toISOString());
    return response.clone().text().then(function (body) {
      return new Response(body, { status: response.status, headers: headers });
    });
  }

  function warm(user, pages) {
    var name = USER_PREFIX + user;
    return caches.open(name).then(function (cache) {
      return Promise.all(pages.map(function (page) {
        return fetch(page, { credentials: "same-origin" }).then(function (response) {
          if (!keepable(response)) { return null; }
          return withSyncTime(response).then(function (r) { return cache.put(page, r); });
        }).catch(function () { return null; });
      }));
    });
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(cfg.shell); })
      .then(function () { return self.skipWaiting(); }));
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("safeloop-shell-") === 0 && n !== SHELL;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); }));
  });

  self.addEventListener("message", function (event) {
    var data = event.data || {};
    var done;
    if (data.type === "user") {
      done = setUser(data.user).then(function () { return warm(data.user, data.pages || []); });
    } else if (data.type === "logout") {
      done = caches.delete(USER_PREFIX + data.user).then(function () { return setUser(""); });
    }
    if (done) {
      event.waitUntil(done.then(function () {
        if (event.ports && event.ports[0]) { event.ports[0].postMessage({ done: true }); }
      }));
    }
  });

  self.addEventListener("sync", function (event) {
    if (event.tag !== "safeloop-queue") { return; }
    event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (windows) {
      windows.forEach(function (w) { w.postMessage({ type: "flush" }); });
    }));
  });

  // Static files: hashed names, so what is kept is right; the shell's are there from install.
  routing.registerRoute(function (ctx) {
    return ctx.url.origin === self.location.origin && ctx.url.pathname.indexOf("/static/") === 0;
  }, new strategies.CacheFirst({
    cacheName: STATIC,
    plugins: [{
      // the shell's files were kept at install in the shell's own cache
      cachedResponseWillBeUsed: function (p) { return p.cachedResponse || caches.match(p.request, { cacheName: SHELL }); },
    }],
  }));

  // Pages: the network first; the signed-in user's kept copy with no network.
  routing.registerRoute(function (ctx) {
    return ctx.request.mode === "navigate" && ctx.url.origin === self.location.origin &&
      ctx.url.pathname.indexOf("/admin/") !== 0 && ctx.url.pathname.indexOf("/accounts/") !== 0;
  }, function (ctx) {
    return currentUser().then(function (user) {
      return fetch(ctx.request).then(function (response) {
        if (user && keepable(response) && (response.headers.get("Content-Type") || "").indexOf("text/html") === 0) {
          var copy = response.clone();
          ctx.event.waitUntil(withSyncTime(copy).then(function (r) {
            return caches.open(USER_PREFIX + user).then(function (cache) { return cache.put(ctx.request.url, r); });
          }));
        }
        return response;
      }).catch(function () {
        var kept = user ? caches.open(USER_PREFIX + user).then(function (cache) {
          return cache.match(ctx.request.url, { ignoreVary: true }).then(function (hit) {
            return hit || cache.match(ctx.url.pathname, { ignoreVary: true });
          });
        }) : Promise.resolve(null);
        return kept.then(function (hit) {
          if (hit) { return stamped(hit); }
          return caches.match(cfg.fallback).then(function (fallback) {
            return fallback || new Response("offline", { status: 503 });
          });
        });
      });
    });
  });
})();
