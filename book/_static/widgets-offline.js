// Pursuing Equity Workbook: keep the Jupyter widget manager offline.
// embed-amd.js bundles its modules under "@jupyter-widgets/..." names and loads its icon fonts
// relative to each module's URL; without this, RequireJS places those URLs next to every page
// (404s). Point every bundled module at the vendored folder, where the fonts are.
(function () {
  "use strict";
  if (typeof window.require === "undefined" || typeof window.require.config !== "function") {
    return;
  }
  var root = new URL(document.documentElement.dataset.content_root || "./", document.baseURI);
  var vendor = new URL("_static/vendor/jupyter-widgets/", root).href;
  var paths = { "@jupyter-widgets/html-manager/dist/libembed-amd": vendor + "libembed-amd" };
  ["base", "base7", "controls", "controls7", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = vendor + name;
  });
  window.require.config({ paths: paths });
})();
