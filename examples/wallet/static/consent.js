// Choosing another credential re-renders the page with that credential's items (the server decides
// what it would disclose); without JavaScript the "show" button under the choice does the same.
for (const button of document.querySelectorAll("button.show-choice")) button.hidden = true;
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.name.startsWith("cred:")) return;
  const button = input.closest("fieldset").querySelector("button.show-choice");
  if (input.form && button) input.form.requestSubmit(button);
});
