// "Mine punkter": after a row is swapped in, move keyboard focus to where the change is:
// the first invalid field (its aria-describedby error is read with it), otherwise the
// row's message (saved, or why nothing was saved). The page works without this file.
document.addEventListener("htmx:afterSettle", () => {
  const message = document.querySelector(
    ".status-row [data-autofocus], .status-bulk-results[data-autofocus]"
  );
  if (!message) return;
  message.removeAttribute("data-autofocus");
  const row = message.closest(".status-row");
  const invalid = row && row.querySelector("[aria-invalid='true']");
  (invalid || message).focus();
});
