document.addEventListener("DOMContentLoaded", () => {
  fetch("/health/")
    .then((r) => r.json())
    .then((h) => {
      document.querySelector("#version").textContent = h.version.label || "unknown";
    });
});
