import { initAll } from "/govuk/govuk-frontend.min.js";

initAll();

// Lists that keep themselves current (the supervisor's list): fetch the fragment again every
// few seconds and swap it in when what it lists has changed, so a new high-risk report appears
// without anyone refreshing and a screen reader hears the region only when there is news.
const signatureOf = (root) => root.querySelector("[data-signature]")?.dataset.signature ?? "";

for (const region of document.querySelectorAll("[data-refresh-url]")) {
  const seconds = Number(region.dataset.refreshSeconds || 10);
  const clock = document.querySelector(`[data-refresh-clock="${region.id}"]`);
  const refresh = async () => {
    try {
      const response = await fetch(region.dataset.refreshUrl, { credentials: "same-origin" });
      if (response.redirected) {
        window.location.reload();
      } else if (response.ok) {
        const html = await response.text();
        const fresh = new DOMParser().parseFromString(html, "text/html").body;
        if (signatureOf(fresh) !== signatureOf(region)) {
          region.innerHTML = html;
        }
        if (clock) {
          clock.textContent = new Date().toLocaleTimeString("en-GB");
        }
      }
    } catch (error) {
      // Network blip: keep what is shown and try again next time.
    }
  };
  setInterval(refresh, seconds * 1000);
}
