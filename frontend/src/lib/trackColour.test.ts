import { describe, expect, it } from "vitest";

import {
  contrast, MIN_CONTRAST, parseHex, ROLE_PALETTE, trackColour, visibleOnDark,
  WORKSPACE_SURFACES,
} from "./trackColour";

// What the composer stores (backend composer/assemble.py TRACK_COLOURS), colours other
// clients and old projects hold, and the roles' own.
const COMPOSER = ["#e4572e", "#29335c", "#669bbc", "#f3a712", "#a8c686", "#8d6a9f"];
const STORED = ["#000000", "#ff0000", "#0000ff", "#123", "#333333", "#1e2430", "not a colour"];

function worst(colour: string): number {
  const rgb = parseHex(colour)!;
  return Math.min(...WORKSPACE_SURFACES.map((s) => contrast(rgb, parseHex(s)!)));
}

describe("track colours on the dark workspace", () => {
  it("computes WCAG contrast as the standard defines it", () => {
    expect(contrast(parseHex("#ffffff")!, parseHex("#000000")!)).toBeCloseTo(21, 5);
    expect(contrast(parseHex("#777777")!, parseHex("#ffffff")!)).toBeCloseTo(4.48, 2);
  });

  it("shows the composer's navy chords colour too dark before, readable after", () => {
    expect(worst("#29335c")).toBeLessThan(MIN_CONTRAST);
    expect(worst(trackColour({ colour: "#29335c", role: "chords" })))
      .toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it.each([...COMPOSER, ...STORED])("%s reaches 3:1 on every surface", (colour) => {
    const shown = trackColour({ colour, role: "melody" });
    expect(parseHex(shown)).not.toBeNull();
    expect(worst(shown)).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it.each(Object.keys(ROLE_PALETTE))("the %s role colour reaches 3:1", (role) => {
    expect(worst(trackColour({ role }))).toBeGreaterThanOrEqual(MIN_CONTRAST);
    expect(worst(trackColour({ role, colour: null }))).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it("leaves a colour that is already visible as it is, and keeps its hue", () => {
    expect(visibleOnDark("#6cb4ff")).toBe("#6cb4ff");
    const [r, g, b] = parseHex(visibleOnDark("#29335c"))!;
    expect(b).toBeGreaterThan(r);  // still a blue
    expect(b).toBeGreaterThan(g);
  });
});
