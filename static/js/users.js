// Registration: offer the browser's own time zone when the visitor has not picked one.
document.addEventListener("DOMContentLoaded", () => {
  const select = document.getElementById("id_timezone");
  if (!select || select.value) return;
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (zone && Array.from(select.options).some((option) => option.value === zone)) {
    select.value = zone;
  }
});
