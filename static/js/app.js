// Small progressive enhancements; the pages work without this file.

// Focus after an htmx swap. When the element that had focus (typically the submit button)
// is replaced, the browser drops focus to <body> and a keyboard or screen-reader user is
// lost. So: remember what had focus inside the swap target, and after the swap put focus
// on, in order, an element marked data-autofocus (a saved/error message), the first
// invalid field (its aria-describedby error is then read out), the same control again,
// or the region's heading.
let focusBeforeSwap = null;

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  const active = document.activeElement;
  focusBeforeSwap = null;
  if (target && target.id && active && active !== document.body && target.contains(active)) {
    focusBeforeSwap = {
      regionId: target.id,
      activeId: active.id,
      name: active.getAttribute("name"),
      formAction: active.form ? active.form.getAttribute("action") : null,
      tag: active.tagName,
    };
  }
});

function focusTarget(region, before) {
  const marked = region.querySelector("[data-autofocus]");
  if (marked) return marked;
  const invalid = region.querySelector('[aria-invalid="true"]');
  if (invalid) return invalid;
  if (before) {
    if (before.activeId) {
      const same = document.getElementById(before.activeId);
      if (same && region.contains(same)) return same;
    }
    if (before.formAction) {
      const form = region.querySelector(`form[action="${CSS.escape(before.formAction)}"]`);
      const control = form && (before.name
        ? form.querySelector(`[name="${CSS.escape(before.name)}"]`)
        : form.querySelector(before.tag.toLowerCase()));
      if (control) return control;
    }
  }
  const heading = region.querySelector("h1, h2, h3, h4");
  if (heading && !heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  return heading;
}

document.addEventListener("htmx:afterSettle", (event) => {
  const before = focusBeforeSwap;
  focusBeforeSwap = null;
  const region = before
    ? document.getElementById(before.regionId)
    : event.detail.target && event.detail.target.isConnected ? event.detail.target : null;
  if (!region) return;
  const lost = !document.activeElement || document.activeElement === document.body;
  // Without a lost focus, only a message marked data-autofocus may take it.
  const next = lost && before ? focusTarget(region, before) : region.querySelector("[data-autofocus]");
  if (next && next !== document.activeElement) next.focus();
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
