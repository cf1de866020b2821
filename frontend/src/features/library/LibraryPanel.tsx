/** Placeholder until this panel is built (issue 17). */
export function LibraryPanel() {
  return <p>Coming soon.</p>;
}
