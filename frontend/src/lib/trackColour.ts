/** The colour a track is drawn in: its own, else one for its role. */
const ROLE_COLOURS: Record<string, string> = {
  melody: "#6cb4ff", chords: "#b48cff", bass: "#7ee2a8", drums: "#f5c06b",
  pad: "#ff9ecf", other: "#9fb3c8",
};

export function trackColour(track: { colour?: string | null; role?: string }): string {
  return track.colour ?? ROLE_COLOURS[track.role ?? "other"] ?? "#9fb3c8";
}
