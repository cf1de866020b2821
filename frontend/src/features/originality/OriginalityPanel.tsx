/** Placeholder until this panel is built (issue 17). */
export function OriginalityPanel() {
  return <p>Coming soon.</p>;
}
