/* The ledger tables (sarcoma_review.render.LedgerTable) as data grids: sorting, a search list
   per column for study, source, rule, verdict and decision, paging, from itables' own DataTables
   bundle. The bundle ships in the pinned itables wheel; book_tools.sphinx_fixes copies it
   to _static/itables/ at build time, so nothing is loaded from outside the site.

   The static table in the page stays the source of the grid: every row keeps its id, so a
   link to ledger.html#<claim id> resolves without script (the link checker reads it so); the
   script below only turns to the page of the grid that holds the row. Jupyter Book includes
   every .js file under _static/ on every page: on a page without a ledger table it does
   nothing. */
(function () {
  "use strict";
  // Read while the script runs: the bundle lies beside it, whatever the page's depth.
  var here = document.currentScript ? document.currentScript.src : document.baseURI;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {
  var tables = document.querySelectorAll("table.ledger-grid");
  if (!tables.length) { return; }
  var bundle = new URL("itables/dt_bundle.js", here);
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("itables/dt_bundle.css", here).href;
  document.head.appendChild(css);

  var grids = [];

  function showClaim(id) {
    // Turn each grid to the page holding the row with this id, clearing filters that hide it.
    grids.forEach(function (grid) {
      var row = grid.row(function (idx, data, node) { return node.id === id; });
      if (!row.any()) { return; }
      var position = grid.rows({ order: "current", search: "applied" }).indexes().indexOf(row.index());
      if (position < 0) {
        grid.search("").columns().search("");
        grid.columns().every(function () { if (this.columnControl) { this.columnControl.searchClear(); } });
        grid.draw(false);
        position = grid.rows({ order: "current", search: "applied" }).indexes().indexOf(row.index());
      }
      var length = grid.page.len();
      if (length > 0) { grid.page(Math.floor(position / length)).draw(false); }
      var node = row.node();
      document.querySelectorAll("tr.claim-target").forEach(function (tr) { tr.classList.remove("claim-target"); });
      node.classList.add("claim-target");
      (node.firstElementChild || node).scrollIntoView({ block: "center", inline: "nearest" });
    });
  }

  function citeRow(button) {
    // "Cite this row": the review and its version, the claim id and the row's permalink.
    var table = button.closest("table");
    var link = button.closest("tr").querySelector("a.claim-permalink");
    var text = table.getAttribute("data-cite") + ", claim " + link.textContent + ". " +
      new URL(link.getAttribute("href"), document.baseURI).href;
    var box = table.closest(".ledger-grid-box").querySelector("output.cite-text");
    box.textContent = text;
    box.hidden = false;
    if (navigator.clipboard) { navigator.clipboard.writeText(text).catch(function () {}); }
  }

  import(bundle.href).then(function (itables) {
    tables.forEach(function (table) {
      var options = JSON.parse(table.getAttribute("data-grid-options"));
      var grid = new itables.ITable(table, options).dt;
      grids.push(grid);
      // A "cite" button in the last cell of each row shown (the static table leaves it empty:
      // without script there is nothing for it to do).
      var addCiteButtons = function () {
        grid.rows({ page: "current" }).nodes().each(function (row) {
          var cell = row.lastElementChild;
          if (cell && !cell.firstChild) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "cite-row";
            button.textContent = "cite";
            cell.appendChild(button);
          }
        });
      };
      grid.on("draw", addCiteButtons);
      addCiteButtons();
      table.addEventListener("click", function (event) {
        var button = event.target.closest("button.cite-row");
        if (button) { citeRow(button); }
      });
      table.classList.add("grid-ready");
    });
    var id = decodeURIComponent(location.hash.slice(1));
    if (id) { showClaim(id); }
    window.addEventListener("hashchange", function () {
      showClaim(decodeURIComponent(location.hash.slice(1)));
    });
  }).catch(function (error) {
    console.error("the ledger grid could not start: " + error);
  });
  }
})();
