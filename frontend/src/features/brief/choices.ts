/** The styles and moods a brief can ask for, as the API names them, with their labels. */
import type { components } from "@/api/schema";

export type Style = components["schemas"]["Style"];
export type Mood = components["schemas"]["Mood"];

export const STYLES: readonly Style[] = [
  "pop", "rock", "jazz", "swing", "blues", "bossa-nova", "folk", "reel", "jig", "waltz",
  "march", "chorale", "classical", "ambient", "lofi-hip-hop", "edm", "house",
];

export const STYLE_LABELS: Record<Style, string> = {
  pop: "Pop", rock: "Rock", jazz: "Jazz", swing: "Swing", blues: "Blues",
  "bossa-nova": "Bossa nova", folk: "Folk", reel: "Reel", jig: "Jig", waltz: "Waltz",
  march: "March", chorale: "Chorale", classical: "Classical", ambient: "Ambient",
  "lofi-hip-hop": "Lo-fi hip hop", edm: "EDM", house: "House",
};

export const MOODS: readonly Mood[] = [
  "happy", "melancholic", "calm", "energetic", "dark", "dreamy", "epic", "romantic",
  "playful",
];
