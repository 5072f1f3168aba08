// The board pack's "Print or save as PDF" button; the browser's own Print command does the same.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
