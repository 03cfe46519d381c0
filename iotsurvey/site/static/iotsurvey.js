/* The book's one script: make every sidebar button work.
 *
 * pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 each bind only the first
 * element with class .primary-toggle (or .secondary-toggle) on the page, but the
 * buttons readers see are later ones, so tapping them did nothing
 * (pydata-sphinx-theme#2451, sphinx-book-theme#988).  Every later button now
 * passes its click to the first: the themes then open the navigation as a
 * dialog on narrow screens and fold the sidebar away on wide ones.
 */
document.addEventListener("DOMContentLoaded", () => {
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const [bound, ...others] = document.querySelectorAll(selector);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }
});

/* A table wider than the page says so above itself ("Scroll sideways ..."), on any screen. */
function markScrollingTables() {
  for (const box of document.querySelectorAll(".pst-scrollable-table-container")) {
    let hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("iot-scroll-hint")) {
      hint = document.createElement("p");
      hint.className = "iot-scroll-hint";
      hint.textContent = "This table is wider than the page: scroll sideways to see every column.";
      box.before(hint);
    }
    hint.classList.toggle("iot-scrolls", box.scrollWidth > box.clientWidth + 1);
  }
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);

/* The header's two icon buttons name what they show (WCAG 2.5.3, "label in name"): the theme labels the
 * search button "Search" while it shows "Search Ctrl + K", and the colour-mode button "Color mode" while its
 * icon's title names the mode ("Light", "Dark", "System Settings").  Each label now contains what the button
 * shows, again whenever the mode changes or the icon font script redraws the icons. */
function labelInName() {
  for (const button of document.querySelectorAll(".search-button-field")) {
    const shown = button.innerText.replace(/\s+/g, " ").trim();
    if (shown && button.getAttribute("aria-label") !== shown) button.setAttribute("aria-label", shown);
  }
  for (const button of document.querySelectorAll(".theme-switch-button")) {
    const icon = [...button.querySelectorAll(".theme-switch")].find((i) => i.getClientRects().length);
    const title = icon ? (icon.querySelector("title")?.textContent || icon.getAttribute("title") || "") : "";
    const label = title ? `Color mode: ${title}` : "Color mode";
    if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
  }
}
document.addEventListener("DOMContentLoaded", () => {
  labelInName();
  const watch = new MutationObserver(() => requestAnimationFrame(labelInName));
  watch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-mode", "data-theme"] });
  for (const button of document.querySelectorAll(".theme-switch-button, .search-button-field")) {
    watch.observe(button, { childList: true, subtree: true });
  }
});

/* On a phone, "On this page" opens as a drawer (a <dialog>); choosing a section closes it, so that the reader
 * sees the section they chose. */
document.addEventListener("click", (event) => {
  const link = event.target.closest("dialog[open] .bd-toc-nav a, dialog[open] .page-toc a");
  if (link) link.closest("dialog").close();
});
