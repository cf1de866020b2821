/** Placeholder until this panel is built (issue 17). */
export function AnalyticsPanel() {
  return <p>Coming soon.</p>;
}
