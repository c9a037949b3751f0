// Download links for extract PDFs: say "Danner PDF …" while the server builds the file.
// Without this file the links are plain downloads and still work.
(function () {
  "use strict";

  function filenameFrom(header, fallback) {
    if (!header) return fallback;
    const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    const plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function statusFor(link) {
    const scope = link.closest("section, main") || document;
    return scope.querySelector("[data-download-status]");
  }

  async function download(link) {
    const status = statusFor(link);
    link.setAttribute("aria-busy", "true");
    if (status) status.textContent = "Danner PDF …";
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const save = document.createElement("a");
      save.href = url;
      save.download = filenameFrom(response.headers.get("Content-Disposition"), "udsnit.pdf");
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      if (status) status.textContent = "PDF er hentet.";
    } catch (error) {
      // Let the browser try the plain download; it shows the server's own error page.
      if (status) status.textContent = "";
      window.location.href = link.href;
    } finally {
      link.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-download]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (link.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    download(link);
  });
})();
