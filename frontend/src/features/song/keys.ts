/** The choices the song's settings offer, as the server's score model accepts them. */
export const TONICS = ["C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab",
                       "A", "A#", "Bb", "B"];
export const MODES = ["major", "minor", "ionian", "dorian", "phrygian", "lydian", "mixolydian",
                      "aeolian", "locrian"];
export const DENOMINATORS = [1, 2, 4, 8, 16, 32];
export const MAX_BARS = 1000;
