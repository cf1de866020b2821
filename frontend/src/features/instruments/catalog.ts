/** What the instrument picker lists: the 128 GM programs in their 16 families, or the GM
 * drum kits (program numbers on channel 10) for drum tracks, and a search over them. */
import { GM_FAMILIES, GM_PROGRAMS } from "@/lib/gm";

export interface InstrumentOption {
  program: number;
  name: string;
  family: string;
}

/** The GS/GM2 drum-kit program numbers most SoundFonts (TimGM6mb included) carry. */
export const DRUM_KITS: readonly InstrumentOption[] = [
  [0, "Standard Kit"], [8, "Room Kit"], [16, "Power Kit"], [24, "Electronic Kit"],
  [25, "TR-808 Kit"], [32, "Jazz Kit"], [40, "Brush Kit"], [48, "Orchestra Kit"],
  [56, "SFX Kit"],
].map(([program, name]) => ({ program: program as number, name: name as string,
                              family: "Drum kits" }));

export const MELODIC: readonly InstrumentOption[] = GM_PROGRAMS.map((name, program) => ({
  program, name, family: GM_FAMILIES[Math.floor(program / 8)] ?? "Other",
}));

export function instrumentOptions(isDrum: boolean): readonly InstrumentOption[] {
  return isDrum ? DRUM_KITS : MELODIC;
}

export function instrumentName(program: number, isDrum: boolean): string {
  const found = instrumentOptions(isDrum).find((o) => o.program === program);
  if (found) return found.name;
  return isDrum ? `Drum kit ${program}` : `Program ${program}`;
}

/** Options whose name, family or number (1-based, as GM lists print them) contain every
 * word of the query; an empty query keeps them all. */
export function searchInstruments(options: readonly InstrumentOption[],
                                  query: string): InstrumentOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...options];
  return options.filter((o) => {
    const haystack = `${o.name} ${o.family} ${o.program + 1}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** Options grouped by family, in list order, for rendering with group headings. */
export function groupByFamily(options: readonly InstrumentOption[]):
    { family: string; options: InstrumentOption[] }[] {
  const groups: { family: string; options: InstrumentOption[] }[] = [];
  for (const option of options) {
    const last = groups[groups.length - 1];
    if (last && last.family === option.family) last.options.push(option);
    else groups.push({ family: option.family, options: [option] });
  }
  return groups;
}
