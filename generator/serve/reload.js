/* gloss serve: reload the page when the site changes. Added to pages by the dev server only;
   `gloss build` output never contains it. The server sends the site's version on an event stream;
   a page built from another version reloads itself. */
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  if (!window.EventSource) {
    return;
  }
  var events = new EventSource("/__gloss__/events");
  events.onmessage = function (event) {
    if (event.data && event.data !== version) {
      events.close();
      window.location.reload();
    }
  };
  window.addEventListener("pagehide", function () { events.close(); });
})();
