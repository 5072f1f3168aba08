// The leadership change form: who holds the chosen seat now, shown as soon as the organization
// and the role are both chosen. Without JavaScript, "Show current holder" reloads the form with
// the same answer; with it, that button is not needed, and a choice that turns the form between
// a change and a new leader at a vacant seat redraws the form.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("seat-state");
  const organization = document.getElementById("id_organization");
  const role = document.getElementById("id_role");
  if (!box || !organization || !role) return;
  const button = document.querySelector("button[name=show_holder]");
  if (button) button.hidden = true;
  let latest = 0;
  const refresh = async () => {
    const ticket = ++latest;
    if (!organization.value || !role.value) {
      box.replaceChildren();
      return;
    }
    const query = new URLSearchParams({ organization: organization.value, role: role.value });
    try {
      const response = await fetch(`${box.dataset.seatUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      const fragment = response.ok ? await response.text() : "";
      // An older answer arriving after a newer choice must not replace it.
      if (ticket !== latest) return;
      box.innerHTML = fragment;
      // The form differs at a vacant seat (no leaving leader; the new leader's name and first
      // day required): when the chosen seat's state is not the one the form was drawn for, the
      // server draws it again with the input kept, as "Show current holder" does without JS.
      const vacant = box.querySelector("[data-seat-vacant]") !== null;
      const drawnVacant = box.hasAttribute("data-new-leader-only");
      if (fragment.trim() && button && vacant !== drawnVacant) button.form.requestSubmit(button);
    } catch {
      if (button) button.hidden = false;
    }
  };
  organization.addEventListener("change", refresh);
  role.addEventListener("change", refresh);
});
