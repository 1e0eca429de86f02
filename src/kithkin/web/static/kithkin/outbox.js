/* The quick-log queue (docs/app.md), shared by the pages (app.js) and the service worker
   (sw.js): entries wait in IndexedDB until the server has answered for them, each with the
   key the phone made for it, so however often one is sent it is logged once. */
(function (scope) {
  "use strict";
  const NAME = "kithkin";
  let running = null;

  function open() {
    return new Promise(function (resolve, reject) {
      const request = scope.indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("outbox", { keyPath: "key" });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(store, mode);
        const request = work(transaction.objectStore(store));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  async function sendOne(entry, csrf) {
    const body = new URLSearchParams();
    ["key", "person_id", "person", "kind", "note", "logged_at"].forEach(function (field) {
      body.append(field, entry[field] == null ? "" : String(entry[field]));
    });
    let response;
    try {
      response = await fetch("/log/", {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf },
      });
    } catch (offline) {
      return { entry: entry, state: "waiting" };
    }
    const answer = isJson(response) ? await response.json() : null;
    if (response.ok && answer) {
      await Outbox.remove(entry.key);
      return { entry: entry, state: "sent", message: answer.message };
    }
    if (answer && answer.error) {  // refused for good (no such person, not allowed)
      await Outbox.remove(entry.key);
      return { entry: entry, state: "refused", message: answer.error };
    }
    // Signed out, an old CSRF token, a server error: kept for the next try.
    return { entry: entry, state: "waiting" };
  }

  const Outbox = {
    add: function (entry) { return run("outbox", "readwrite", function (s) { return s.put(entry); }); },
    all: function () { return run("outbox", "readonly", function (s) { return s.getAll(); }); },
    remove: function (key) { return run("outbox", "readwrite", function (s) { return s.delete(key); }); },
    setMeta: function (name, value) { return run("meta", "readwrite", function (s) { return s.put(value, name); }); },
    getMeta: function (name) { return run("meta", "readonly", function (s) { return s.get(name); }); },
    /* Send every entry of ``owner`` in the order they were made; stop at the first that
       cannot go yet. Another user's entries are dropped, never sent as this one. */
    flush: function (csrf, owner) {
      if (running) return running;
      running = (async function () {
        const results = [];
        const entries = (await Outbox.all()).sort(function (a, b) {
          return a.logged_at < b.logged_at ? -1 : 1;
        });
        for (const entry of entries) {
          if (entry.owner !== owner) {
            await Outbox.remove(entry.key);
            continue;
          }
          const result = await sendOne(entry, csrf);
          results.push(result);
          if (result.state === "waiting") break;
        }
        return results;
      })().finally(function () { running = null; });
      return running;
    },
  };
  scope.KithkinOutbox = Outbox;
})(self);
