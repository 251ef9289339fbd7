// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";
import { SortableTable } from "./moj-sortable-table.js";
import { FilterToggleButton } from "./moj-filter-toggle-button.js";

initAll();

// MOJ sortable table: column headings become buttons that sort the rows on this page. Without
// JavaScript the table keeps the order the server gave it.
for (const table of document.querySelectorAll('[data-module="moj-sortable-table"]')) {
  try {
    new SortableTable(table);
  } catch {
    // A browser GOV.UK Frontend does not support: the table stays as the server sent it.
  }
}

// MOJ filter a list: on small screens the filter panel hides behind a "Show filter" button in
// the list's action bar. Without JavaScript, and on wide screens, the panel is always shown.
for (const filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  try {
    new FilterToggleButton(filter, {
      bigModeMediaQuery: "(min-width: 63.75em)",
      startHidden: false,
      toggleButtonContainer: { selector: ".moj-action-bar__filter" },
    });
  } catch {
    // A browser GOV.UK Frontend does not support: the panel stays in the page.
  }
}

// A document being built: refresh its status region in place until it is finished.
for (const region of document.querySelectorAll("[data-job-status]")) {
  const refresh = async () => {
    if (region.dataset.finished === "true") return;
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-job-status]");
      if (fresh) {
        region.innerHTML = fresh.innerHTML;
        region.dataset.finished = fresh.dataset.finished;
      }
    } catch {
      // Offline for a moment: try again on the next tick.
    }
    if (region.dataset.finished !== "true") window.setTimeout(refresh, 3000);
  };
  window.setTimeout(refresh, 3000);
}
