import { describe, expect, it } from "vitest";

import { initials, PRESENCE_COLOURS, safeColour, textOn, userColour } from "./colour";

describe("userColour", () => {
  it("gives one id the same palette colour every time, and spreads ids over the palette", () => {
    const id = "6f1c2a4e-9b0d-4c7e-8f55-0a1b2c3d4e5f";
    expect(userColour(id)).toBe(userColour(id));
    expect(PRESENCE_COLOURS).toContain(userColour(id));
    const ids = Array.from({ length: 200 }, (_, i) =>
      `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    expect(new Set(ids.map(userColour)).size).toBeGreaterThan(PRESENCE_COLOURS.length / 2);
  });
});

describe("safeColour", () => {
  it("keeps a published #rrggbb and replaces anything else with the id's colour", () => {
    expect(safeColour("#A1B2C3", "u1")).toBe("#a1b2c3");
    for (const bad of ["red", "#fff", "#12345g", "url(x)", "#123456; background: red", 42,
                       null, undefined]) {
      expect(safeColour(bad, "u1")).toBe(userColour("u1"));
    }
  });
});

describe("initials", () => {
  it("takes the first letters of the first and last words", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("ada")).toBe("A");
    expect(initials("Jean-Luc Picard")).toBe("JP");
    expect(initials("grace.hopper@example.org")).toBe("GH");
    expect(initials("  émile   zola ")).toBe("ÉZ");
    expect(initials("")).toBe("?");
    expect(initials("  -- ")).toBe("?");
  });
});

describe("textOn", () => {
  it("picks dark text on light colours and white on dark ones", () => {
    expect(textOn("#ffd43b")).toBe("#10141b");
    expect(textOn("#1971c2")).toBe("#ffffff");
    // Orange looks dark but is light for the eye's contrast: dark text reads better.
    expect(textOn("#e8590c")).toBe("#10141b");
  });

  it("gives every presence colour initials at WCAG AA contrast (4.5:1)", () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const colour of PRESENCE_COLOURS) {
      const [light, dark] = [luminance(colour), luminance(textOn(colour))].sort((a, b) => b - a);
      expect((light! + 0.05) / (dark! + 0.05), colour).toBeGreaterThanOrEqual(4.5);
    }
  });
});
