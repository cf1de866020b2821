/** The styles and moods a brief can ask for, as the API names them, with their labels. */
import type { components } from "@/api/schema";

export type Style = components["schemas"]["Style"];
export type Mood = components["schemas"]["Mood"];

export const STYLES: readonly Style[] = [
  "pop", "rock", "jazz", "swing", "blues", "bossa-nova", "folk", "reel", "jig", "waltz",
  "march", "chorale", "classical", "ambient", "lofi-hip-hop", "edm", "house", "funk",
  "reggae", "trap", "hip-hop", "tango", "gospel", "country", "samba", "metal", "synthwave",
  "ballad", "lullaby", "carol", "cinematic", "chiptune", "nocturne", "baroque", "celtic",
];

export const STYLE_LABELS: Record<Style, string> = {
  pop: "Pop", rock: "Rock", jazz: "Jazz", swing: "Swing", blues: "Blues",
  "bossa-nova": "Bossa nova", folk: "Folk", reel: "Reel", jig: "Jig", waltz: "Waltz",
  march: "March", chorale: "Chorale", classical: "Classical", ambient: "Ambient",
  "lofi-hip-hop": "Lo-fi hip hop", edm: "EDM", house: "House", funk: "Funk",
  reggae: "Reggae", trap: "Trap", "hip-hop": "Hip hop", tango: "Tango", gospel: "Gospel",
  country: "Country", samba: "Samba", metal: "Metal", synthwave: "Synthwave",
  ballad: "Ballad", lullaby: "Lullaby", carol: "Carol", cinematic: "Cinematic",
  chiptune: "Chiptune", nocturne: "Nocturne", baroque: "Baroque", celtic: "Celtic",
};

export const MOODS: readonly Mood[] = [
  "happy", "melancholic", "calm", "energetic", "dark", "dreamy", "epic", "romantic",
  "playful",
];
