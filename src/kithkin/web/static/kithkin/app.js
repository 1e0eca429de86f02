/* The installable app in every page (docs/app.md): registers the service worker, sends the
   quick logs waiting on this phone whenever the page opens or the connection comes back,
   and runs the quick log form (person picker kept for offline use, queue first, then send). */
(function () {
  "use strict";
  const SYNC_TAG = "kithkin-quick-log";

  function meta(name) {
    const element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : "";
  }

  function newKey() {
    if (self.crypto && self.crypto.randomUUID) return self.crypto.randomUUID();
    const bytes = self.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  const owner = meta("kithkin-owner");
  const Outbox = self.KithkinOutbox;
  if (!owner || !self.indexedDB || !Outbox) return;
  // What the service worker needs to send the queue when no page is open.
  Outbox.setMeta("session", { owner: owner, csrf: meta("csrf-token") }).catch(function () {});

  function statusBox() { return document.querySelector("[data-outbox-status]"); }

  function line(text, kind) {
    const box = statusBox();
    if (!box) return;
    const p = document.createElement("p");
    p.className = "outbox-line " + kind;
    p.textContent = text;
    box.prepend(p);
    while (box.children.length > 6) box.lastElementChild.remove();
  }

  async function showWaiting() {
    const counter = document.querySelector("[data-outbox-waiting]");
    if (!counter) return;
    const mine = (await Outbox.all()).filter(function (e) { return e.owner === owner; });
    counter.hidden = mine.length === 0;
    counter.textContent = mine.length === 1
      ? "1 quick log is waiting on this phone. It will be sent when you are back online."
      : mine.length + " quick logs are waiting on this phone. They will be sent when you are back online.";
  }

  function report(results) {
    (results || []).forEach(function (result) {
      if (result.state === "sent") line("Sent. " + result.message, "sent");
      if (result.state === "refused") line("Not logged: " + result.message, "refused");
    });
    showWaiting();
  }

  function flush() {
    return Outbox.flush(meta("csrf-token"), owner).then(report).catch(function () {});
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(SYNC_TAG);
    }).catch(function () {});
  }

  const SHOWN = 30;  // a datalist of 30,000 names is slow on a phone: the matches only

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function wirePicker(form) {
    const person = form.querySelector("[name=person]");
    const personId = form.querySelector("[name=person_id]");
    const list = document.getElementById(person.getAttribute("list"));
    const ids = new Map();
    let people = [];
    function match() { personId.value = ids.get(person.value.trim()) || ""; }
    function offer() {
      const typed = folded(person.value.trim());
      const shown = [];
      for (const entry of people) {
        if (shown.length >= SHOWN) break;
        if (!typed || entry.words.some(function (word) { return word.indexOf(typed) === 0; }) ||
            entry.folded.indexOf(typed) === 0) shown.push(entry);
      }
      list.replaceChildren.apply(list, shown.map(function (entry) {
        const option = document.createElement("option");
        option.value = entry.name;
        return option;
      }));
    }
    fetch("/log/people/", { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { people: [] }; })
      .then(function (answer) {
        people = answer.people.map(function (pair) {  // [id, name]
          ids.set(pair[1], pair[0]);
          const name = folded(pair[1]);
          return { id: pair[0], name: pair[1], folded: name, words: name.split(/\s+/) };
        });
        offer();
        match();
      })
      .catch(function () {});
    person.addEventListener("input", function () { offer(); match(); });
    form.querySelectorAll("[data-person-id]").forEach(function (chip) {
      chip.addEventListener("click", function () {
        person.value = chip.dataset.personName;
        personId.value = chip.dataset.personId;
        ids.set(chip.dataset.personName, chip.dataset.personId);
        const note = form.querySelector("[name=note]");
        if (note) note.focus();
      });
    });
  }

  function wire(form) {
    if (form.dataset.wired) return;
    form.dataset.wired = "yes";
    // A key of its own for every log: this page may be the copy kept for offline use, whose
    // key (made by the server for a plain form) an earlier log from it already used.
    form.querySelector("[name=key]").value = newKey();
    wirePicker(form);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const data = new FormData(form);
      if (!String(data.get("person") || "").trim()) {
        form.querySelector("[name=person]").focus();
        line("Pick who it was with.", "refused");
        return;
      }
      const entry = {
        key: String(data.get("key")),
        owner: owner,
        person_id: String(data.get("person_id") || ""),
        person: String(data.get("person")),
        kind: String(data.get("kind")),
        note: String(data.get("note") || ""),
        logged_at: new Date().toISOString(),
      };
      try {
        await Outbox.add(entry);
      } catch (noStorage) {
        form.submit();  // no IndexedDB (a private window): send it as a plain form
        return;
      }
      form.querySelector("[name=key]").value = newKey();
      form.querySelector("[name=person]").value = "";
      form.querySelector("[name=person_id]").value = "";
      form.querySelector("[name=note]").value = "";
      line("Saved on this phone: " + entry.kind + " with " + entry.person + ".", "queued");
      await showWaiting();
      askForSync();
      await flush();
    });
  }

  function init() {
    document.querySelectorAll("form[data-quick-log]").forEach(wire);
    showWaiting();
  }

  document.addEventListener("htmx:afterSettle", init);
  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      const message = event.data || {};
      if (message.type === "flush") flush();
      if (message.type === "outbox") report(message.results);
    });
  }
  init();
  flush();
})();
