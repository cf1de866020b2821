import { describe, expect, it } from "vitest";

import { barHeight, scaleVelocities, velocityAtY } from "./velocity";

describe("velocity lane", () => {
  it("maps the lane's height to 1–127, top loudest", () => {
    expect(velocityAtY(0, 60)).toBe(127);
    expect(velocityAtY(60, 60)).toBe(1);
    expect(velocityAtY(30, 60)).toBe(64);
    expect(velocityAtY(-20, 60)).toBe(127);
    expect(barHeight(127, 60)).toBe(60);
  });

  it("sets a lone note to the target", () => {
    expect(scaleVelocities([{ id: "a", velocity: 90 }], "a", 40)).toEqual(new Map([["a", 40]]));
  });

  it("scales a selection in proportion to the dragged note, clamped to 1–127", () => {
    const scaled = scaleVelocities([{ id: "a", velocity: 100 }, { id: "b", velocity: 50 },
                                    { id: "c", velocity: 120 }], "a", 50);
    expect(scaled).toEqual(new Map([["a", 50], ["b", 25], ["c", 60]]));
    const louder = scaleVelocities([{ id: "a", velocity: 60 }, { id: "b", velocity: 100 }],
                                   "a", 120);
    expect(louder.get("b")).toBe(127);
  });
});
