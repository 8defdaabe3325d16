// The prescription form: "Add another medication" adds an empty line in place. Without this
// script the same button asks the server for the form with one more line.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-line]");
  if (!button) return;
  const template = document.getElementById("medication-line-template");
  const lines = document.getElementById("medication-lines");
  const total = document.querySelector('input[name$="-TOTAL_FORMS"]');
  const max = document.querySelector('input[name$="-MAX_NUM_FORMS"]');
  if (!template || !lines || !total) return;
  const index = parseInt(total.value, 10) || 0;
  if (max && index >= parseInt(max.value, 10)) return;
  event.preventDefault();
  const html = template.innerHTML
    .replaceAll("__prefix__", String(index))
    .replaceAll("__number__", String(index + 1));
  lines.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = lines.lastElementChild && lines.lastElementChild.querySelector("input, select, textarea");
  if (first) first.focus();
});
