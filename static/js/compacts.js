// Staff forms: in an edit conflict, "Use the saved value" copies the value saved meanwhile into
// the field, so merging two versions takes one click per field. The page works without it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-use-stored]").forEach((button) => {
    button.addEventListener("click", () => {
      const input = document.getElementById(button.dataset.useStored);
      if (!input) return;
      input.value = button.dataset.value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
  });
});
