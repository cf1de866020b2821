/** Which rules the theory check uses: the project's own style unless this person picked
 * another (kept per project in this browser, so a reload keeps the choice). */
export const VALIDATION_STYLES = ["common-practice", "chorale", "classical", "pop", "rock",
                                  "folk", "jazz", "blues", "electronic"] as const;
export type ValidationStyle = (typeof VALIDATION_STYLES)[number];
/** "" = the project's style (the server decides from the project's composition). */
export type StyleChoice = ValidationStyle | "";

const key = (projectId: string) => `ariaforge.theoryStyle.${projectId}`;

export function loadStyleChoice(projectId: string): StyleChoice {
  try {
    const saved = window.localStorage.getItem(key(projectId)) ?? "";
    return (VALIDATION_STYLES as readonly string[]).includes(saved) ? saved as StyleChoice : "";
  } catch {
    return "";  // storage blocked: the project's style
  }
}

export function saveStyleChoice(projectId: string, choice: StyleChoice): void {
  try {
    if (choice) window.localStorage.setItem(key(projectId), choice);
    else window.localStorage.removeItem(key(projectId));
  } catch {
    /* storage blocked: the choice lasts until the page closes */
  }
}

const IDIOM_NAMES: Record<string, string> = {
  blue_notes: "blue notes", flat_seven: "the mixolydian ♭7",
  chromatic_approach: "chromatic approach notes", enclosure: "enclosures",
  anticipation: "anticipations", altered_tensions: "altered tensions on dominants",
};

export function describeIdioms(idioms: readonly string[]): string {
  return idioms.map((i) => IDIOM_NAMES[i] ?? i.replace(/_/g, " ")).join(", ");
}

/** One sentence: which style was used, and why that one. */
export function describeStyleUsed(report: { style: string; style_source: string;
                                            project_style?: string | null }): string {
  if (report.style_source === "project") return `Checked as ${report.style}: the project's style.`;
  if (report.style_source === "default") {
    return `Checked as ${report.style}: the project was not composed in a style.`;
  }
  const project = report.project_style ? ` (the project's style is ${report.project_style})` : "";
  return `Checked as ${report.style}: your choice${project}.`;
}
