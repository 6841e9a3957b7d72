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
