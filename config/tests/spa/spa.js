// A minimal single-page client on another origin: the API's base URL is given as ?api=...
// It signs in with a JWT, lists the patient's appointments and books the first free slot.
const api = new URLSearchParams(location.search).get("api");
let access = null;

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers: {
      "Content-Type": "application/json",
      ...(access ? { Authorization: "Bearer " + access } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(data.error.code + ": " + data.error.message);
  return data;
}

async function listAppointments() {
  const page = await call("GET", "/api/v1/appointments/");
  const list = document.getElementById("appointments");
  list.replaceChildren(
    ...page.results.map((row) => {
      const item = document.createElement("li");
      item.textContent = row.start + " " + row.status;
      return item;
    }),
  );
  // Past a thousand or so, the count is where counting stopped: "more than 1000".
  const total = page.count_exact ? String(page.count) : "more than " + page.count;
  document.getElementById("status").textContent = total + " appointments";
}

document.getElementById("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const tokens = await call("POST", "/api/v1/auth/token/", {
      email: document.getElementById("email").value,
      password: document.getElementById("password").value,
    });
    access = tokens.access;
    await listAppointments();
  } catch (error) {
    document.getElementById("status").textContent = "Error " + error.message;
  }
});

document.getElementById("book").addEventListener("click", async () => {
  try {
    const doctor = document.getElementById("doctor").value;
    const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
    const slots = await call("GET", "/api/v1/doctors/" + doctor + "/slots/?start=" + day(1) + "&end=" + day(14));
    const first = slots[0];
    await call("POST", "/api/v1/appointments/", { doctor, start: first.start, reason: "Booked from the SPA" });
    await listAppointments();
  } catch (error) {
    document.getElementById("status").textContent = "Error " + error.message;
  }
});
