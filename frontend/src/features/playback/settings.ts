/** The metronome and count-in, kept in this browser: a musician's habit, not the song's. */
const KEY = "ariaforge.player";

export interface PlayerSettings {
  metronome: boolean;
  countInBars: number;
}

const DEFAULTS: PlayerSettings = { metronome: false, countInBars: 0 };

export function parseSettings(raw: string | null): PlayerSettings {
  if (!raw) return DEFAULTS;
  try {
    const data = JSON.parse(raw) as Partial<Record<keyof PlayerSettings, unknown>>;
    const bars = typeof data.countInBars === "number" ? Math.round(data.countInBars) : 0;
    return { metronome: data.metronome === true, countInBars: Math.min(2, Math.max(0, bars)) };
  } catch {
    return DEFAULTS;
  }
}

export function loadSettings(): PlayerSettings {
  try {
    return parseSettings(window.localStorage.getItem(KEY));
  } catch {
    return DEFAULTS;  // storage refused
  }
}

export function saveSettings(patch: Partial<PlayerSettings>): void {
  try {
    const next = { ...loadSettings(), ...patch };
    window.localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage refused: the choice lasts until the page closes
  }
}
