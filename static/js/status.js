// "Mine punkter": after a row is swapped in, move keyboard focus to its message (saved,
// or what went wrong), so screen reader and keyboard users land where the change is.
// The page works without this file.
document.addEventListener("htmx:afterSettle", () => {
  const message = document.querySelector(".status-row [data-autofocus]");
  if (!message) return;
  message.removeAttribute("data-autofocus");
  message.focus();
});
