// Small progressive enhancements; the pages work without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // After a swap, move focus to a sensible place inside the new content for keyboard users.
  const target = event.detail.target;
  const focusable = target && target.querySelector("[data-autofocus]");
  if (focusable) focusable.focus();
});

// A table wider than the screen scrolls inside its .table-wrap; keyboard users need to be
// able to focus that region to scroll it (WCAG 2.1.1), so it gets a tab stop and a name.
function markScrollableTables(root) {
  (root || document).querySelectorAll(".table-wrap").forEach((wrap) => {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        const caption = wrap.querySelector("caption");
        const heading = wrap.closest("section")?.querySelector("h2, h3");
        wrap.setAttribute("aria-label", (caption || heading)?.textContent.trim() || "Tabel");
      }
    }
  });
}
document.addEventListener("DOMContentLoaded", () => markScrollableTables());
document.addEventListener("htmx:afterSettle", () => markScrollableTables());
window.addEventListener("resize", () => markScrollableTables());
