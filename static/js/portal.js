// The portal's own script, served as a file: the CSP allows no inline script.
// A button with data-copy="#element-id" copies that element's text (e.g. a calendar feed URL).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.value || source.textContent.trim()).then(() => {
      button.textContent = "Copied";
    });
  }
});
