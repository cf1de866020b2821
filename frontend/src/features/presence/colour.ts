/** A person's presence colour and initials. The colour comes from the user id alone, so a
 * person has the same colour in every browser and every session without anyone storing it;
 * what another browser publishes is checked before it reaches a style. */

/** Saturated colours that read on the dark panels and differ from each other and from the
 * role colours tracks are drawn in (lib/trackColour), so a person's outline stands out. */
export const PRESENCE_COLOURS: readonly string[] = [
  "#ff6b6b", "#ffa94d", "#ffd43b", "#69db7c", "#38d9a9", "#3bc9db", "#4dabf7",
  "#748ffc", "#9775fa", "#da77f2", "#f783ac", "#e8590c", "#2f9e44", "#1971c2",
];

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** FNV-1a over the id's UTF-16 code units: stable, cheap, well spread for UUIDs. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value >>> 0;
}

/** The colour of the user with this id (the same everywhere). */
export function userColour(userId: string): string {
  return PRESENCE_COLOURS[hash(userId) % PRESENCE_COLOURS.length]!;
}

/** A colour another browser published, if it is a plain "#rrggbb"; else the id's own. */
export function safeColour(colour: unknown, userId: string): string {
  return typeof colour === "string" && HEX_COLOUR.test(colour) ? colour.toLowerCase()
    : userColour(userId);
}

/** Up to two letters for an avatar: the first letters of the first and last words of the
 * name ("Ada Lovelace" → "AL"), or of an e-mail's local part; "?" for nothing. */
export function initials(name: string): string {
  const base = name.includes("@") && !name.includes(" ") ? name.split("@")[0]! : name;
  const words = base.split(/[\s._-]+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return "?";
  const first = [...words[0]!.replace(/^[^\p{L}\p{N}]+/u, "")][0] ?? "?";
  if (words.length === 1) return first.toUpperCase();
  const last = [...words[words.length - 1]!.replace(/^[^\p{L}\p{N}]+/u, "")][0] ?? "";
  return (first + last).toUpperCase();
}

/** WCAG 2 relative luminance of "#rrggbb" (sRGB channels linearised first). */
function relativeLuminance(colour: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(colour.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const DARK_TEXT = "#10141b";
const LIGHT_TEXT = "#ffffff";

/** Black or white text, whichever has the higher WCAG contrast on `colour` ("#rrggbb"):
 * judged by eye on gamma-encoded values, orange (#e8590c) got white text at 3.6:1. */
export function textOn(colour: string): string {
  const background = relativeLuminance(colour);
  const onDark = (background + 0.05) / (relativeLuminance(DARK_TEXT) + 0.05);
  const onLight = (relativeLuminance(LIGHT_TEXT) + 0.05) / (background + 0.05);
  return onDark >= onLight ? DARK_TEXT : LIGHT_TEXT;
}
