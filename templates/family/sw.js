/* NeuStart service worker: caches only static files and the offline page.
   Personal pages are never stored: navigations go to the network, and
   without a connection the offline page is shown instead.
   Rendered by the portal: static URLs carry their content hash, and the cache is
   named after them, so a deploy brings a new worker and old caches are dropped. */
const CACHE = "neustart-static-{{ version }}";
const OFFLINE = "{{ url_for('family.offline') }}";
const STATIC = [{% for url in static_urls %}"{{ url }}", {% endfor %}OFFLINE];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(STATIC)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
  }
});

/* Web Push: the message says only that there is something new (title and body come
   from the server in the member's language); a tap opens the portal, where the
   member signs in to see what it is. */
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "NeuStart", {
    body: data.body || "", lang: data.lang, dir: data.dir || "auto", icon: "/static/icons/icon-192.png",
    data: { url: new URL(data.url || "/", self.location.origin).pathname }
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      return open ? open.navigate(target).then((w) => (w || open).focus()) : self.clients.openWindow(target);
    })
  );
});
