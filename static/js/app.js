// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirmation before destructive buttons that are not on a confirmation page already.
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });
});

// A form sent back with mistakes opens at its first one: on a phone the banner at the top says
// "correct what is marked below" while the marked field can be a screen further down.
document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector("main form .is-invalid, main form [aria-invalid='true']");
  if (!first) return;
  first.scrollIntoView({ block: "center" });
  first.focus({ preventScroll: true });
});
