/** Sections as the server accepts them: whole bars inside the song (1 … bars), never
 * overlapping, names of 1–64 printable characters, at most 12 keys besides the song's own.
 * Every operation clamps instead of failing, and returns the sorted list to write. Tempo at a
 * section's start is a tempo change there (or the song's tempo for bar 1). */
import { barLayout, type TimeSignatureSource } from "@/lib/geometry";

export interface SectionKey { tonic: string; mode: string }
export interface SectionMark {
  name: string;
  start_bar: number;
  bars: number;
  key: SectionKey | null;
}
export interface TempoMark { tick: number; bpm: number }

export const MAX_SECTION_NAME = 64;
export const MAX_SECTION_KEYS = 12;

const clampTo = (value: number, low: number, high: number) =>
  Math.min(Math.max(value, low), high);

export const sortSections = (sections: readonly SectionMark[]): SectionMark[] =>
  [...sections].sort((a, b) => a.start_bar - b.start_bar);

/** A name the server stores: control characters removed, trimmed, at most 64 characters. */
export function cleanSectionName(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return name.replace(/[\x00-\x1f\x7f]/g, " ").trim().slice(0, MAX_SECTION_NAME).trim();
}

/** The list made valid for a song of `bars` bars: sorted, each inside the song, each
 * trimmed where it would overlap the one before; sections left with no bars are dropped. */
export function normaliseSections(sections: readonly SectionMark[], bars: number):
    SectionMark[] {
  const result: SectionMark[] = [];
  let free = 1;
  for (const section of sortSections(sections)) {
    const start = Math.max(section.start_bar, free);
    const end = Math.min(section.start_bar + section.bars, bars + 1);
    if (end <= start) continue;
    result.push({ ...section, start_bar: start, bars: end - start });
    free = end;
  }
  return result;
}

/** The free bars between sections: [start, end) ranges. */
export function freeRanges(sections: readonly SectionMark[], bars: number):
    [number, number][] {
  const ranges: [number, number][] = [];
  let free = 1;
  for (const s of sortSections(sections)) {
    if (s.start_bar > free) ranges.push([free, s.start_bar]);
    free = Math.max(free, s.start_bar + s.bars);
  }
  if (free <= bars) ranges.push([free, bars + 1]);
  return ranges;
}

/** Adds a section in the first free bars at or after `fromBar` (or anywhere free), up to
 * `length` bars; null when the song has no free bar. */
export function addSection(sections: readonly SectionMark[], bars: number, name: string,
                           fromBar = 1, length = 4): SectionMark[] | null {
  const ranges = freeRanges(sections, bars);
  const range = ranges.find(([, end]) => end > fromBar) ?? ranges[0];
  if (!range) return null;
  const start = Math.max(range[0], Math.min(fromBar, range[1] - 1));
  const section = { name: cleanSectionName(name) || "Section", start_bar: start,
                    bars: Math.min(length, range[1] - start), key: null };
  return sortSections([...sections, section]);
}

function neighbours(sections: SectionMark[], index: number, bars: number) {
  return { low: sections[index - 1] ? sections[index - 1]!.start_bar + sections[index - 1]!.bars
                                    : 1,
           high: sections[index + 1]?.start_bar ?? bars + 1 };
}

/** Moves the section starting at `fromBar` to start at `toBar`, keeping its length, between
 * its neighbours. */
export function moveSection(sections: readonly SectionMark[], bars: number, fromBar: number,
                            toBar: number): SectionMark[] {
  const sorted = sortSections(sections);
  const index = sorted.findIndex((s) => s.start_bar === fromBar);
  if (index < 0) return sorted;
  const { low, high } = neighbours(sorted, index, bars);
  const section = sorted[index]!;
  const start = clampTo(Math.round(toBar), low, Math.max(low, high - section.bars));
  return sorted.map((s, i) => (i === index ? { ...s, start_bar: start,
                                               bars: Math.min(s.bars, high - start) } : s));
}

/** Drags the end of the section at `startBar` so that it ends before bar `endBar`: at least
 * one bar, up to the next section or the song's end. */
export function resizeSection(sections: readonly SectionMark[], bars: number, startBar: number,
                              endBar: number): SectionMark[] {
  const sorted = sortSections(sections);
  const index = sorted.findIndex((s) => s.start_bar === startBar);
  if (index < 0) return sorted;
  const { high } = neighbours(sorted, index, bars);
  const end = clampTo(Math.round(endBar), startBar + 1, high);
  return sorted.map((s, i) => (i === index ? { ...s, bars: end - startBar } : s));
}

export function renameSection(sections: readonly SectionMark[], startBar: number,
                              name: string): SectionMark[] {
  const clean = cleanSectionName(name);
  return sortSections(sections).map((s) => (s.start_bar === startBar && clean
    ? { ...s, name: clean } : s));
}

export function removeSection(sections: readonly SectionMark[], startBar: number):
    SectionMark[] {
  return sortSections(sections.filter((s) => s.start_bar !== startBar));
}

/** Sets the section's own key (null: the song's key); an error when that would make more
 * keys than the server allows. */
export function setSectionKey(sections: readonly SectionMark[], songKey: SectionKey,
                              startBar: number, key: SectionKey | null):
    SectionMark[] | string {
  const same = key && key.tonic === songKey.tonic && key.mode === songKey.mode;
  const next = sortSections(sections).map((s) => (s.start_bar === startBar
    ? { ...s, key: same ? null : key } : s));
  const keys = new Set(next.filter((s) => s.key).map((s) => `${s.key!.tonic} ${s.key!.mode}`));
  if (keys.size > MAX_SECTION_KEYS) {
    return `At most ${MAX_SECTION_KEYS} section keys besides the song's own.`;
  }
  return next;
}

/** The tick where `bar` starts. */
export function barStartTick(score: TimeSignatureSource, bar: number): number {
  const layout = barLayout(score);
  return layout[bar - 1]?.start ?? 0;
}

/** The tempo in force at `tick`. */
export function tempoAt(tempo: number, changes: readonly TempoMark[], tick: number): number {
  let bpm = tempo;
  for (const change of [...changes].sort((a, b) => a.tick - b.tick)) {
    if (change.tick <= tick) bpm = change.bpm;
  }
  return bpm;
}

export const MIN_BPM = 10;
export const MAX_BPM = 1000;

/** The tempo changes with `bpm` from `tick` on (replacing one at that tick), sorted. */
export function setTempoFrom(changes: readonly TempoMark[], tick: number, bpm: number):
    TempoMark[] {
  const value = clampTo(bpm, MIN_BPM, MAX_BPM);
  return [...changes.filter((c) => c.tick !== tick), { tick, bpm: value }]
    .sort((a, b) => a.tick - b.tick);
}
