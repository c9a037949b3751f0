// Small progressive enhancements; the pages work without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // After a swap, move focus to a sensible place inside the new content for keyboard users.
  const target = event.detail.target;
  const focusable = target && target.querySelector("[data-autofocus]");
  if (focusable) focusable.focus();
});
