/** Keys whose space press belongs to the focused element, not to the transport. */
export function spaceBelongsTo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest("dialog[open]")) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT" || tag === "BUTTON" || tag === "A"
      || tag === "SUMMARY") return true;
  if (tag === "INPUT") return true;  // text fields, and checkboxes/ranges use space too
  const role = target.getAttribute("role");
  return role === "button" || role === "tab" || role === "checkbox" || role === "switch"
    || role === "slider" || role === "option" || role === "menuitem" || role === "textbox";
}
