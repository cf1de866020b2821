/** A key as a musician reads it: "C major", "E dorian" (a section's own key, shown where
 * the music modulates). */
export function keyName(key: { tonic?: string; mode?: string }): string {
  return `${key.tonic ?? ""} ${key.mode ?? ""}`.trim();
}
