// The slot picker of the appointment admin: after a doctor and a day are chosen, it lists the
// doctor's free slots for that day (on the receptionist's clock); a click fills the start.
"use strict";
(function () {
  function slotsUrl() {
    return window.location.pathname.split("/appointment/")[0] + "/appointment/slots/";
  }

  function doctorId() {
    const form = document.getElementById("reschedule-form");
    if (form && form.dataset.doctor) return form.dataset.doctor;
    const select = document.getElementById("id_doctor");
    return select ? select.value : "";
  }

  function show(box, text) {
    box.replaceChildren();
    const note = document.createElement("p");
    note.className = "help";
    note.textContent = text;
    box.appendChild(note);
  }

  let lastAsked = "";

  function load(box, dateInput, timeInput) {
    const doctor = doctorId();
    const asking = doctor + "|" + dateInput.value;
    if (asking === lastAsked && box.querySelector(".slot-choice")) return;
    lastAsked = asking;
    if (!doctor) return show(box, "Choose a doctor to see free times.");
    if (!dateInput.value) return show(box, "Choose a day to see free times.");
    const query = new URLSearchParams({ doctor: doctor, day: dateInput.value });
    show(box, "Looking for free times…");
    fetch(slotsUrl() + "?" + query, { credentials: "same-origin" })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
      .then(({ ok, body }) => {
        if (!ok) return show(box, body.error ? body.error.message : "Could not load free times.");
        if (!body.slots.length) return show(box, "No free times on this day.");
        box.replaceChildren();
        for (const slot of body.slots) {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button slot-choice";
          button.style.margin = "0 6px 6px 0";
          button.textContent = slot.time;
          button.dataset.start = slot.start;
          button.addEventListener("click", () => {
            dateInput.value = slot.date;
            timeInput.value = slot.time + ":00";
            box.querySelectorAll(".slot-choice").forEach((b) => b.classList.remove("default"));
            button.classList.add("default");
          });
          box.appendChild(button);
        }
      })
      .catch(() => show(box, "Could not load free times."));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const dateInput = document.getElementById("id_start_0");
    const timeInput = document.getElementById("id_start_1");
    if (!dateInput || !timeInput || dateInput.readOnly) return;
    const box = document.createElement("div");
    box.id = "free-slots";
    box.setAttribute("aria-live", "polite");
    const find = document.createElement("button");
    find.type = "button";
    find.className = "button";
    find.id = "show-free-slots";
    find.textContent = "Show free times";
    find.addEventListener("click", () => load(box, dateInput, timeInput));
    const anchor = timeInput.closest(".form-row") || timeInput.parentElement;
    anchor.appendChild(find);
    anchor.appendChild(box);
    dateInput.addEventListener("change", () => load(box, dateInput, timeInput));
  });
})();
