/** Lead-sheet chord symbols, read exactly as the server's music core reads them
 * (backend/ariaforge/music/theory/chords.py `parse_chord_symbol`): the composer and the
 * theory check only understand what that parser accepts, so the chord lane refuses anything
 * else before it is written. Also spells chords and voices them for auditioning. */

export type ChordQuality =
  | "major" | "minor" | "diminished" | "augmented" | "dominant-7" | "major-7" | "minor-7"
  | "half-diminished-7" | "diminished-7" | "minor-major-7" | "sus2" | "sus4" | "7sus4"
  | "add9" | "major-6" | "minor-6" | "dominant-9" | "major-9" | "minor-9" | "dominant-11"
  | "dominant-13";

export const MAX_SYMBOL_LENGTH = 32;

/** Semitones above the root of each chord tone, and the canonical suffix. */
export const QUALITIES: Readonly<Record<ChordQuality, { suffix: string; tones: number[] }>> = {
  "major": { suffix: "", tones: [0, 4, 7] },
  "minor": { suffix: "m", tones: [0, 3, 7] },
  "dominant-7": { suffix: "7", tones: [0, 4, 7, 10] },
  "minor-7": { suffix: "m7", tones: [0, 3, 7, 10] },
  "diminished": { suffix: "dim", tones: [0, 3, 6] },
  "major-7": { suffix: "maj7", tones: [0, 4, 7, 11] },
  "half-diminished-7": { suffix: "m7b5", tones: [0, 3, 6, 10] },
  "diminished-7": { suffix: "dim7", tones: [0, 3, 6, 9] },
  "augmented": { suffix: "aug", tones: [0, 4, 8] },
  "sus4": { suffix: "sus4", tones: [0, 5, 7] },
  "sus2": { suffix: "sus2", tones: [0, 2, 7] },
  "7sus4": { suffix: "7sus4", tones: [0, 5, 7, 10] },
  "major-6": { suffix: "6", tones: [0, 4, 7, 9] },
  "minor-6": { suffix: "m6", tones: [0, 3, 7, 9] },
  "add9": { suffix: "add9", tones: [0, 4, 7, 14] },
  "dominant-9": { suffix: "9", tones: [0, 4, 7, 10, 14] },
  "minor-9": { suffix: "m9", tones: [0, 3, 7, 10, 14] },
  "major-9": { suffix: "maj9", tones: [0, 4, 7, 11, 14] },
  "minor-major-7": { suffix: "mMaj7", tones: [0, 3, 7, 11] },
  "dominant-11": { suffix: "11", tones: [0, 4, 7, 10, 14, 17] },
  "dominant-13": { suffix: "13", tones: [0, 4, 7, 10, 14, 21] },
};

// Every spelling lead sheets use, as the server lists them (case matters: M is major, m
// minor); the word-based ones are matched in any case too.
const ALIASES: Readonly<Record<ChordQuality, readonly string[]>> = {
  "major": ["", "M", "maj", "Maj", "major"],
  "minor": ["m", "min", "-", "minor", "mi"],
  "diminished": ["dim", "°", "o", "mb5", "m(b5)"],
  "augmented": ["aug", "+", "#5", "(#5)"],
  "dominant-7": ["7", "dom7"],
  "major-7": ["maj7", "M7", "Δ7", "Δ", "Maj7", "ma7", "j7"],
  "minor-7": ["m7", "min7", "-7", "mi7"],
  "half-diminished-7": ["m7b5", "ø", "ø7", "-7b5", "min7b5", "m7(b5)"],
  "diminished-7": ["dim7", "°7", "o7"],
  "minor-major-7": ["mMaj7", "mM7", "m(maj7)", "minmaj7", "-Δ7", "-maj7"],
  "sus2": ["sus2"],
  "sus4": ["sus4", "sus"],
  "7sus4": ["7sus4", "7sus"],
  "add9": ["add9", "(add9)", "add2"],
  "major-6": ["6", "M6", "maj6"],
  "minor-6": ["m6", "min6", "-6"],
  "dominant-9": ["9"],
  "minor-9": ["m9", "min9", "-9"],
  "major-9": ["maj9", "M9", "Δ9"],
  "dominant-11": ["11"],
  "dominant-13": ["13"],
};

const SUFFIXES = new Map<string, ChordQuality>();
const WORD_SUFFIXES = new Map<string, ChordQuality>();
const WORD_PREFIXES = ["maj", "min", "dim", "aug", "sus", "add", "dom", "7sus"];
for (const [quality, names] of Object.entries(ALIASES) as [ChordQuality, string[]][]) {
  for (const name of names) {
    SUFFIXES.set(name, quality);
    const lower = name.toLowerCase();
    if (WORD_PREFIXES.some((p) => lower.startsWith(p))) WORD_SUFFIXES.set(lower, quality);
  }
}

const LETTER_PCS: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9,
                                                       B: 11 };
export const LETTERS = ["C", "D", "E", "F", "G", "A", "B"] as const;
const ACCIDENTALS: Readonly<Record<string, number>> = { "#": 1, "♯": 1, "b": -1, "♭": -1 };
const ROOT = /^([A-Ga-g][#♯b♭]{0,2})(.*)$/s;
const NAME = /^([A-Ga-g])([#♯b♭]{0,2})$/;

export interface Chord {
  rootName: string;
  rootPc: number;
  quality: ChordQuality;
  bassName: string;
  bassPc: number;
}

export type ChordParse = { ok: true; chord: Chord; symbol: string } | { ok: false;
                                                                        error: string };

/** The pitch class (0–11) of a spelled name ("Bb" → 10), or null if it is not one. */
export function pitchClassOf(name: string): number | null {
  const parsed = splitName(name);
  return parsed ? mod12(LETTER_PCS[parsed.letter]! + parsed.alter) : null;
}

/** ASCII spelling of a letter and alteration: ("E", -1) → "Eb". */
export function joinName(letter: string, alter: number): string {
  return letter + (alter > 0 ? "#".repeat(alter) : "b".repeat(-alter));
}

export const mod12 = (n: number): number => ((n % 12) + 12) % 12;

function splitName(text: string): { letter: string; alter: number } | null {
  const match = NAME.exec(text.trim());
  if (!match) return null;
  const signs = [...match[2]!].map((a) => ACCIDENTALS[a]!);
  // Mixed accidentals ("#b") are never written; the server refuses them too.
  if (new Set(signs).size > 1) return null;
  return { letter: match[1]!.toUpperCase(), alter: signs.reduce((a, b) => a + b, 0) };
}

function note(text: string, symbol: string, role: string): { name: string; pc: number } | string {
  const parsed = splitName(text);
  if (!parsed) return `Bad ${role} note "${text}" in "${symbol}".`;
  return { name: joinName(parsed.letter, parsed.alter),
           pc: mod12(LETTER_PCS[parsed.letter]! + parsed.alter) };
}

/** The canonical symbol of a chord, which `parseChordSymbol` reads back: "Bbmaj7/D". */
export function chordSymbol(chord: Chord): string {
  const text = chord.rootName + QUALITIES[chord.quality].suffix;
  return chord.bassPc === chord.rootPc ? text : `${text}/${chord.bassName}`;
}

/** Reads a lead-sheet symbol as the server does; the error says what is wrong. */
export function parseChordSymbol(text: string): ChordParse {
  const stripped = text.trim();
  if (!stripped) return { ok: false, error: "Type a chord symbol, e.g. Am7." };
  if (stripped.length > MAX_SYMBOL_LENGTH) {
    return { ok: false, error: `At most ${MAX_SYMBOL_LENGTH} characters.` };
  }
  const slash = stripped.lastIndexOf("/");
  const body = slash < 0 ? stripped : stripped.slice(0, slash);
  const match = ROOT.exec(body);
  if (!match) return { ok: false, error: "A chord starts with a root A–G (e.g. C, F#, Bb)." };
  const root = note(match[1]!, stripped, "root");
  if (typeof root === "string") return { ok: false, error: root };
  const suffix = match[2]!.trim();
  const quality = SUFFIXES.get(suffix) ?? WORD_SUFFIXES.get(suffix.toLowerCase());
  if (!quality) {
    return { ok: false, error: `Unknown chord quality "${suffix}"; known: m, dim, aug, 7, `
      + "maj7, m7, m7b5, dim7, sus2, sus4, add9, 6, m6, 9, 11, 13 (and /bass)." };
  }
  const bass = slash < 0 ? root : note(stripped.slice(slash + 1).trim(), stripped, "bass");
  if (typeof bass === "string") return { ok: false, error: bass };
  const chord: Chord = { rootName: root.name, rootPc: root.pc, quality, bassName: bass.name,
                         bassPc: bass.pc };
  return { ok: true, chord, symbol: chordSymbol(chord) };
}

/** MIDI pitches to audition a chord with: the bass in octave 3, the chord tones from the
 * root upward in octave 4 (C4 = 60). */
export function chordPitches(chord: Chord): number[] {
  const rootMidi = 60 + chord.rootPc;
  const upper = QUALITIES[chord.quality].tones.map((s) => rootMidi + s);
  return [48 + chord.bassPc, ...upper];
}
