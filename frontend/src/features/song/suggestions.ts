/** Chord suggestions for a key, as Hookpad offers them: the key's diatonic triads and
 * sevenths with roman numerals, chords borrowed from the parallel key (modal mixture), and
 * secondary dominants. Every symbol is spelled from the key's scale (Bb in F, not A#) and
 * is one `parseChordSymbol` accepts. */
import { type ChordQuality, joinName, LETTERS, mod12, pitchClassOf,
         QUALITIES } from "./chordSymbols";

export interface KeyLike { tonic?: string; mode?: string }

export interface Suggestion {
  symbol: string;
  /** Roman numeral relative to the key: "vi7", "bVII", "V7/ii". */
  roman: string;
  group: "diatonic" | "borrowed" | "secondary";
}

const MODE_STEPS: Readonly<Record<string, number[]>> = {
  major: [0, 2, 4, 5, 7, 9, 11], ionian: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10], aeolian: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10], phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11], mixolydian: [0, 2, 4, 5, 7, 9, 10],
  locrian: [0, 1, 3, 5, 6, 8, 10],
};
const MAJOR = MODE_STEPS.major!;
const NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII"];
const LETTER_PCS = [0, 2, 4, 5, 7, 9, 11];

interface ScaleNote { letter: string; pc: number; name: string }

/** Spells `pc` on `letter` (double accidentals at most; else the plain sharp/flat name). */
function spell(letter: string, pc: number): string {
  const alter = ((pc - LETTER_PCS[LETTERS.indexOf(letter as never)]! + 6 + 120) % 12) - 6;
  if (Math.abs(alter) <= 2) return joinName(letter, alter);
  return ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"][pc]!;
}

/** The seven notes of a key's scale, each on its own letter. */
export function scaleOf(key: KeyLike): ScaleNote[] {
  const tonic = key.tonic ?? "C";
  const tonicPc = pitchClassOf(tonic) ?? 0;
  const start = LETTERS.indexOf(tonic[0]!.toUpperCase() as never);
  const steps = MODE_STEPS[key.mode ?? "major"] ?? MAJOR;
  return steps.map((step, i) => {
    const letter = LETTERS[(Math.max(0, start) + i) % 7]!;
    const pc = mod12(tonicPc + step);
    return { letter, pc, name: spell(letter, pc) };
  });
}

/** The quality of the chord stacked in thirds from its intervals above the root. */
function qualityOf(intervals: number[]): ChordQuality | null {
  const shape = intervals.join(",");
  const table: Record<string, ChordQuality> = {
    "4,7": "major", "3,7": "minor", "3,6": "diminished", "4,8": "augmented",
    "4,7,11": "major-7", "4,7,10": "dominant-7", "3,7,10": "minor-7",
    "3,6,10": "half-diminished-7", "3,6,9": "diminished-7", "3,7,11": "minor-major-7",
  };
  return table[shape] ?? null;
}

/** The numeral's case and sign: upper for major, lower for minor/diminished. */
function roman(degree: number, quality: ChordQuality, accidental = ""): string {
  const base = NUMERALS[degree]!;
  const upper = ["major", "augmented", "dominant-7", "major-7"].includes(quality);
  const numeral = accidental + (upper ? base : base.toLowerCase());
  const marks: Partial<Record<ChordQuality, string>> = {
    "diminished": "°", "augmented": "+", "dominant-7": "7", "major-7": "maj7", "minor-7": "7",
    "half-diminished-7": "ø7", "diminished-7": "°7", "minor-major-7": "(maj7)",
  };
  return numeral + (marks[quality] ?? "");
}

const symbolOf = (name: string, quality: ChordQuality) => name + QUALITIES[quality].suffix;

/** Whether the key's third is major (major, lydian, mixolydian) or minor. */
const isMajorFamily = (key: KeyLike) => (MODE_STEPS[key.mode ?? "major"] ?? MAJOR)[2] === 4;

export function diatonicChords(key: KeyLike): Suggestion[] {
  const scale = scaleOf(key);
  const triads: Suggestion[] = [];
  const sevenths: Suggestion[] = [];
  scale.forEach((note, degree) => {
    const above = (n: number) => mod12(scale[(degree + n) % 7]!.pc - note.pc);
    const triad = qualityOf([above(2), above(4)]);
    if (triad) triads.push({ symbol: symbolOf(note.name, triad), roman: roman(degree, triad),
                             group: "diatonic" });
    const seventh = qualityOf([above(2), above(4), above(6)]);
    if (seventh) sevenths.push({ symbol: symbolOf(note.name, seventh),
                                 roman: roman(degree, seventh), group: "diatonic" });
  });
  return [...triads, ...sevenths];
}

/** Chords from the parallel key: bIII, iv, bVI, bVII in a major key; IV, V, V7, vii°7 in a
 * minor one (the raised sixth and seventh of melodic and harmonic minor). */
export function borrowedChords(key: KeyLike): Suggestion[] {
  const tonic = key.tonic ?? "C";
  const tonicPc = pitchClassOf(tonic) ?? 0;
  const start = Math.max(0, LETTERS.indexOf(tonic[0]!.toUpperCase() as never));
  const chord = (degree: number, semitones: number, quality: ChordQuality,
                 accidental = ""): Suggestion => {
    const name = spell(LETTERS[(start + degree) % 7]!, mod12(tonicPc + semitones));
    return { symbol: symbolOf(name, quality), roman: roman(degree, quality, accidental),
             group: "borrowed" };
  };
  const own = new Set(diatonicChords(key).map((s) => s.symbol));
  const list = isMajorFamily(key)
    ? [chord(2, 3, "major", "b"), chord(3, 5, "minor"), chord(5, 8, "major", "b"),
       chord(6, 10, "major", "b")]
    : [chord(3, 5, "major"), chord(4, 7, "major"), chord(4, 7, "dominant-7"),
       chord(6, 11, "diminished-7")];
  return list.filter((s) => !own.has(s.symbol));
}

/** V7 of each major or minor diatonic triad other than the tonic: "E7" = V7/vi in C. */
export function secondaryDominants(key: KeyLike): Suggestion[] {
  const scale = scaleOf(key);
  const result: Suggestion[] = [];
  diatonicChords(key).slice(0, 7).forEach((target, degree) => {
    const quality = target.roman.endsWith("°") || target.roman.endsWith("+") ? null : target;
    if (degree === 0 || !quality) return;
    const note = scale[degree]!;
    const letter = LETTERS[(LETTERS.indexOf(note.letter as never) + 4) % 7]!;
    const name = spell(letter, mod12(note.pc + 7));
    result.push({ symbol: `${name}7`, roman: `V7/${target.roman}`, group: "secondary" });
  });
  return result;
}

/** Everything to offer for a chord in `key`, diatonic first, without repeats. */
export function chordSuggestions(key: KeyLike): Suggestion[] {
  const seen = new Set<string>();
  return [...diatonicChords(key), ...borrowedChords(key), ...secondaryDominants(key)]
    .filter((s) => !seen.has(s.symbol) && Boolean(seen.add(s.symbol)));
}

/** The key in force at `bar`: the section's own key, else the score's. */
export function keyAtBar(score: { key?: KeyLike; sections?: { start_bar: number; bars: number;
                                                               key?: KeyLike | null }[] },
                         bar: number): KeyLike {
  const section = (score.sections ?? []).find((s) => bar >= s.start_bar
                                                && bar < s.start_bar + s.bars);
  return section?.key ?? score.key ?? { tonic: "C", mode: "major" };
}
