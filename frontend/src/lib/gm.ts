/** General MIDI names: the 128 melodic programs, the percussion key map (channel 10), and
 * pitch names (MIDI 60 = C4). */

export const GM_PROGRAMS: readonly string[] = [
  // Piano
  "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
  "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet",
  // Chromatic percussion
  "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone",
  "Tubular Bells", "Dulcimer",
  // Organ
  "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ", "Reed Organ",
  "Accordion", "Harmonica", "Tango Accordion",
  // Guitar
  "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)",
  "Electric Guitar (clean)", "Electric Guitar (muted)", "Overdriven Guitar",
  "Distortion Guitar", "Guitar Harmonics",
  // Bass
  "Acoustic Bass", "Electric Bass (finger)", "Electric Bass (pick)", "Fretless Bass",
  "Slap Bass 1", "Slap Bass 2", "Synth Bass 1", "Synth Bass 2",
  // Strings
  "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings", "Pizzicato Strings",
  "Orchestral Harp", "Timpani",
  // Ensemble
  "String Ensemble 1", "String Ensemble 2", "Synth Strings 1", "Synth Strings 2",
  "Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit",
  // Brass
  "Trumpet", "Trombone", "Tuba", "Muted Trumpet", "French Horn", "Brass Section",
  "Synth Brass 1", "Synth Brass 2",
  // Reed
  "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn",
  "Bassoon", "Clarinet",
  // Pipe
  "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle",
  "Ocarina",
  // Synth lead
  "Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)",
  "Lead 5 (charang)", "Lead 6 (voice)", "Lead 7 (fifths)", "Lead 8 (bass + lead)",
  // Synth pad
  "Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)", "Pad 4 (choir)",
  "Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
  // Synth effects
  "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)",
  "FX 5 (brightness)", "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)",
  // Ethnic
  "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai",
  // Percussive
  "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom",
  "Synth Drum", "Reverse Cymbal",
  // Sound effects
  "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring",
  "Helicopter", "Applause", "Gunshot",
];

export const GM_FAMILIES: readonly string[] = [
  "Piano", "Chromatic Percussion", "Organ", "Guitar", "Bass", "Strings", "Ensemble", "Brass",
  "Reed", "Pipe", "Synth Lead", "Synth Pad", "Synth Effects", "Ethnic", "Percussive",
  "Sound Effects",
];

export function programName(program: number): string {
  return GM_PROGRAMS[program] ?? `Program ${program}`;
}

/** GM percussion key map (pitches 35–81 on channel 10). */
export const GM_DRUMS: Readonly<Record<number, string>> = {
  35: "Acoustic Bass Drum", 36: "Kick", 37: "Side Stick", 38: "Snare", 39: "Hand Clap",
  40: "Electric Snare", 41: "Low Floor Tom", 42: "Closed Hi-hat", 43: "High Floor Tom",
  44: "Pedal Hi-hat", 45: "Low Tom", 46: "Open Hi-hat", 47: "Low-Mid Tom",
  48: "Hi-Mid Tom", 49: "Crash Cymbal", 50: "High Tom", 51: "Ride Cymbal",
  52: "Chinese Cymbal", 53: "Ride Bell", 54: "Tambourine", 55: "Splash Cymbal",
  56: "Cowbell", 57: "Crash Cymbal 2", 58: "Vibraslap", 59: "Ride Cymbal 2",
  60: "High Bongo", 61: "Low Bongo", 62: "Mute High Conga", 63: "Open High Conga",
  64: "Low Conga", 65: "High Timbale", 66: "Low Timbale", 67: "High Agogo",
  68: "Low Agogo", 69: "Cabasa", 70: "Maracas", 71: "Short Whistle", 72: "Long Whistle",
  73: "Short Guiro", 74: "Long Guiro", 75: "Claves", 76: "High Wood Block",
  77: "Low Wood Block", 78: "Mute Cuica", 79: "Open Cuica", 80: "Mute Triangle",
  81: "Open Triangle",
};

/** The drum rows every drum grid shows, in display order (kick first). */
export const COMMON_DRUMS: readonly number[] = [36, 38, 42, 46, 49, 51];

export function drumName(pitch: number): string {
  return GM_DRUMS[pitch] ?? `Drum ${pitch}`;
}

const PITCH_CLASSES = ["C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"];

/** "C4" for MIDI 60 (sharps, as ♯). */
export function noteName(pitch: number): string {
  const octave = Math.floor(pitch / 12) - 1;
  return `${PITCH_CLASSES[((pitch % 12) + 12) % 12]}${octave}`;
}

export function isBlackKey(pitch: number): boolean {
  return [1, 3, 6, 8, 10].includes(((pitch % 12) + 12) % 12);
}
