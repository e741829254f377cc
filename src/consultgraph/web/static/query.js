// The query page: YASGUI against this server's /sparql, with the example queries.
// No outbound requests: LOV class/property autocompletion is switched off and our own IRIs
// in the results are rewritten to this server's paths.
(function () {
  "use strict";
  const base = window.CONSULTGRAPH_BASE;
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  const Y = window.Yasgui;
  Y.Yasqe.defaults.autocompleters = Y.Yasqe.defaults.autocompleters.filter(
    (name) => name !== "class" && name !== "property");
  Y.Yasr.plugins.table.defaults.openIriInNewWindow = false;
  const endpoint = new URL("/sparql", window.location.href).toString();
  const yasgui = new Y(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
  });
  const params = new URLSearchParams(window.location.search);
  const tab = yasgui.getTab();
  if (params.get("query")) {
    tab.setQuery(params.get("query"));
  } else if (examples.length) {
    tab.setQuery(examples[0].query);
    tab.setName(examples[0].title);
  }
  document.querySelectorAll("button.example").forEach((btn) => {
    btn.addEventListener("click", () => {
      const ex = examples.find((e) => e.name === btn.dataset.name);
      const t = yasgui.getTab();
      t.setQuery(ex.query);
      t.setName(ex.title);
      document.querySelectorAll("button.example").forEach((b) => b.classList.remove("active"));
      btn.classList.add("active");
    });
  });
  // Our IRIs answer on this server: link result cells here, not to the public base host.
  const localise = (root) => {
    root.querySelectorAll("a[href^='" + base + "']").forEach((a) => {
      a.setAttribute("href", "/" + a.getAttribute("href").slice(base.length));
      a.removeAttribute("target");
    });
  };
  new MutationObserver(() => localise(document)).observe(
    document.getElementById("yasgui"), { childList: true, subtree: true });
  window.consultgraphYasgui = yasgui;
})();
