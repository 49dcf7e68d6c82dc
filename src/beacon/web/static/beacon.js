import { initAll } from "/govuk/govuk-frontend.min.js";

initAll();

// Lists that keep themselves current (the supervisor's list): fetch the fragment again every
// few seconds and swap it in, so a new high-risk report appears without anyone refreshing.
for (const region of document.querySelectorAll("[data-refresh-url]")) {
  const seconds = Number(region.dataset.refreshSeconds || 10);
  const refresh = async () => {
    try {
      const response = await fetch(region.dataset.refreshUrl, { credentials: "same-origin" });
      if (response.redirected) {
        window.location.reload();
      } else if (response.ok) {
        region.innerHTML = await response.text();
      }
    } catch (error) {
      // Network blip: keep what is shown and try again next time.
    }
  };
  setInterval(refresh, seconds * 1000);
}
