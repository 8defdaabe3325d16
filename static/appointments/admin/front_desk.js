// The front desk's day: a button that cannot be undone (cancel) asks first. Without this file
// the buttons still work, without the question.
"use strict";
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : "";
  if (question && !window.confirm(question)) event.preventDefault();
});
