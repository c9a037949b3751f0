// "Kopiér tekst" for the drafted agenda text. Without JavaScript the button stays hidden
// and the read-only text field beside it can be selected and copied by hand.
(function () {
  "use strict";

  function wire(root) {
    root.querySelectorAll("[data-copy-target]").forEach((button) => {
      if (!navigator.clipboard) return;
      button.hidden = false;
    });
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById(button.dataset.copyStatus);
    if (!source) return;
    try {
      await navigator.clipboard.writeText(source.value);
      if (status) status.textContent = "Teksten er kopieret.";
    } catch (error) {
      source.focus();
      source.select();
      if (status) status.textContent = "Kopiering blev afvist; teksten er markeret, tryk Ctrl+C.";
    }
  });

  document.addEventListener("DOMContentLoaded", () => wire(document));
  document.addEventListener("htmx:afterSwap", (event) => wire(event.detail.target));
})();
