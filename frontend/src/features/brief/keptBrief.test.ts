import { describe, expect, it } from "vitest";

import { formFromRequest } from "./keptBrief";

describe("the kept brief back in the form", () => {
  it("restores the prompt and every option but the seed", () => {
    const form = formFromRequest("a waltz", {
      prompt: "a waltz", operation: "compose", style: "waltz", mood: "melancholic",
      key: "D minor", tempo: 90, bars: 16, seed: 7,
      meter: { numerator: 3, denominator: 4 }, instruments: ["piano", "strings"],
    });
    expect(form).toEqual({ prompt: "a waltz", style: "waltz", mood: "melancholic",
                           key: "D minor", tempo: "90", meter: "3/4", bars: "16",
                           instruments: "piano, strings" });
  });

  it("leaves what the request did not set empty, and ignores odd values", () => {
    expect(formFromRequest("", { style: null, tempo: { odd: 1 }, meter: {},
                                 instruments: [{ name: "flute" }, 3] }))
      .toEqual({ prompt: "", style: "", mood: "", key: "", tempo: "", meter: "", bars: "",
                 instruments: "flute" });
  });
});
