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
