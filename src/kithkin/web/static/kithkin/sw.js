/* Kithkin's service worker (docs/app.md), served at /sw.js by web/views/app.py, which
   writes VERSION, SHELL, OUTBOX, PAGES, DATA and FRAGMENTS above this line.

   - The shell (styles, scripts, icons) is kept per version, cache first.
   - Today, People and the quick log page (PAGES) and the people to pick from (DATA) are
     fetched network first, and so are the sections Today loads after the page
     (FRAGMENTS); the last answer seen is kept, per user, and answered offline with a note
     saying when it was seen. Nothing else is ever stored.
   - Every answer to a signed-in user names its owner (Kithkin-Cache-Owner); when another
     owner, or no one, shows up, every page kept for anyone else is dropped.
   - Quick logs wait in IndexedDB (outbox.js); a Background Sync asks open pages to send
     them, or sends them itself when none is open. */
/* global VERSION, SHELL, OUTBOX, PAGES, DATA, FRAGMENTS, KithkinOutbox */
"use strict";
importScripts(OUTBOX);

const SHELL_CACHE = "kithkin-shell-" + VERSION;
const PAGES_PREFIX = "kithkin-pages-";
const SYNC_TAG = "kithkin-quick-log";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kithkin-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function dropPages(except) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PAGES_PREFIX) === 0 && name !== except;
    }).map(function (name) { return caches.delete(name); }));
  });
}

async function currentOwner() {
  const session = await KithkinOutbox.getMeta("owner").catch(function () { return null; });
  return session || "";
}

async function keep(owner, key, response) {
  const name = PAGES_PREFIX + owner;
  if ((await currentOwner()) !== owner) {
    await dropPages(name);
    await KithkinOutbox.setMeta("owner", owner);
  }
  const cache = await caches.open(name);
  await cache.put(key, response);
}

function asOfflineCopy(response) {
  if ((response.headers.get("Content-Type") || "").indexOf("text/html") !== 0) return response;
  return response.text().then(function (html) {
    return new Response(html.replace("data-offline-note hidden", "data-offline-note"), {
      status: 200,
      headers: { "Content-Type": response.headers.get("Content-Type") },
    });
  });
}

async function lastSeen(url) {
  const owner = await currentOwner();
  if (!owner) return null;
  const cache = await caches.open(PAGES_PREFIX + owner);
  const options = { ignoreVary: true };
  const found = (await cache.match(url.pathname + url.search, options)) ||
    (await cache.match(url.pathname, options));
  return found ? asOfflineCopy(found) : null;
}

/* What is kept: a whole page of PAGES (a navigation, or htmx's boosted link; never htmx's
   fragment of it, such as People's results, which must not be kept as, or answered by,
   the page), the picker's data, and Today's sections (each a fragment under its own URL). */
function isKept(request, url) {
  if (DATA.indexOf(url.pathname) !== -1) return true;
  if (FRAGMENTS.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) return true;
  if (PAGES.indexOf(url.pathname) === -1) return false;
  return request.mode === "navigate" || request.headers.get("HX-Boosted") === "true";
}

async function kept(url) {
  const owner = await currentOwner();
  if (!owner) return null;
  const cache = await caches.open(PAGES_PREFIX + owner);
  return cache.match(url.pathname + url.search, { ignoreVary: true });
}

/* The people to pick from: asked for with the ETag of the copy kept, so an unchanged list
   (304) is not downloaded again. */
async function revalidated(request, url) {
  const copy = DATA.indexOf(url.pathname) !== -1 ? await kept(url) : null;
  const etag = copy && copy.headers.get("ETag");
  if (!etag) return { response: await fetch(request), copy: null };
  const headers = new Headers(request.headers);
  headers.set("If-None-Match", etag);
  const response = await fetch(new Request(request, { headers: headers }));
  if (response.status !== 304) return { response: response, copy: null };
  if (response.headers.get("Kithkin-Cache-Owner") === (await currentOwner())) {
    return { response: response, copy: copy };
  }
  return { response: await fetch(request), copy: null };  // someone else's copy: never
}

async function networkFirst(request, url) {
  try {
    const { response, copy } = await revalidated(request, url);
    if (copy) return copy;
    const owner = response.headers.get("Kithkin-Cache-Owner");
    if (!owner) {
      await dropPages(null);  // signed out: nothing of anyone stays
      await KithkinOutbox.setMeta("owner", "");
    } else if (response.ok && !response.redirected) {
      await keep(owner, url.pathname + url.search, response.clone());
    }
    return response;
  } catch (offline) {
    const copy = await lastSeen(url);
    if (copy) return copy;
    throw offline;
  }
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;  // quick logs go straight to the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (isKept(request, url)) {
    event.respondWith(networkFirst(request, url));
  }
});

async function sendQueue() {
  const windows = await self.clients.matchAll({ type: "window" });
  if (windows.length) {  // an open page sends them, with its own fresh CSRF token
    windows.forEach(function (client) { client.postMessage({ type: "flush" }); });
    return;
  }
  const session = await KithkinOutbox.getMeta("session");
  if (!session || !session.owner) return;
  const results = await KithkinOutbox.flush(session.csrf, session.owner);
  if (results.some(function (result) { return result.state === "waiting"; })) {
    throw new Error("some quick logs are still waiting");  // Background Sync tries again
  }
}

self.addEventListener("sync", function (event) {
  if (event.tag === SYNC_TAG) event.waitUntil(sendQueue());
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "forget") {
    event.waitUntil(dropPages(null));
  }
});
