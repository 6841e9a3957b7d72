/* Progressive enhancement only: the pages work without it. */
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  /* "Show password": a check box beside a password field shows what was typed. */
  document.querySelectorAll(".js-reveal").forEach(function (box) {
    var field = document.getElementById(box.dataset.reveal);
    if (!field) return;
    box.closest(".reveal").hidden = false;
    box.addEventListener("change", function () { field.type = box.checked ? "text" : "password"; });
  });

  /* "Copy the address" (the calendar address, shown once). */
  document.querySelectorAll(".js-copy").forEach(function (button) {
    var source = document.getElementById(button.dataset.copyFrom);
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied;
      });
    });
  });

  /* Account page: Web Push on this phone, where the browser can. The server's public
     VAPID key and the texts come from data attributes; the subscription goes to our own
     origin only (CSP connect-src 'self'). Without it, e-mail and the portal still work. */
  var setup = document.querySelector(".push-setup");
  if (!setup || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  var button = setup.querySelector(".js-push");
  var status = setup.querySelector(".push-status");
  var csrf = document.querySelector("input[name=csrf_token]");
  setup.querySelector(".push-without-script").hidden = true;
  button.hidden = false;
  function say(text) { status.textContent = text; status.hidden = false; }
  function key(base64url) {
    var raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - base64url.length % 4) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }
  button.addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say(setup.dataset.denied); return null; }
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(setup.dataset.pushKey) });
      }).then(function (subscription) {
        return fetch(setup.dataset.pushUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
          body: JSON.stringify(subscription.toJSON())
        });
      }).then(function (response) { say(response.ok ? setup.dataset.done : setup.dataset.failed); });
    }).catch(function () { say(setup.dataset.failed); });
  });
})();
