import { describe, expect, it } from "vitest";

import { userColour } from "./colour";
import { avatarsOf, markedNotes, marksOn, playheadsOf, visitorsOf } from "./remote";
import { remoteUser } from "./testing";

describe("avatarsOf", () => {
  it("shows a person with several tabs once, with the tracks they selected", () => {
    const avatars = avatarsOf([
      remoteUser(1, "u1", "Ada", { trackId: "lead" }),
      remoteUser(2, "u2", "Bob", { colour: "not a colour" }),
      remoteUser(3, "u1", "Ada", { trackId: "bass" }),
      remoteUser(4, "u1", "Ada", { trackId: "lead" }),
    ]);
    expect(avatars.map((a) => [a.userId, a.tabs, a.trackIds])).toEqual([
      ["u1", 3, ["lead", "bass"]], ["u2", 1, []]]);
    // A colour that is not "#rrggbb" never reaches a style.
    expect(avatars[1]?.colour).toBe(userColour("u2"));
  });

  it("names someone who published no name", () => {
    expect(avatarsOf([remoteUser(1, "u1", "   ")])[0]?.name).toBe("Someone");
  });
});

describe("marks", () => {
  it("keeps the people on one track and maps each selected note to the first of them", () => {
    const remote = [
      remoteUser(1, "u1", "Ada", { trackId: "lead", noteIds: ["a", "b"], colour: "#111111" }),
      remoteUser(2, "u2", "Bob", { trackId: "bass", noteIds: ["x"] }),
      remoteUser(3, "u3", "Cy", { trackId: "lead", noteIds: ["b", "c"], colour: "#222222" }),
      remoteUser(4, "u1", "Ada", { trackId: "lead", noteIds: [] }),
    ];
    const marks = marksOn(remote, "lead");
    expect(marks.map((m) => m.clientId)).toEqual([1, 3, 4]);
    const notes = markedNotes(marks);
    expect([...notes].map(([id, mark]) => [id, mark.name, mark.colour])).toEqual([
      ["a", "Ada", "#111111"], ["b", "Ada", "#111111"], ["c", "Cy", "#222222"]]);
    expect(visitorsOf(marks).map((v) => v.userId)).toEqual(["u1", "u3"]);
    expect(marksOn(remote, "drums")).toEqual([]);
  });
});

describe("playheadsOf", () => {
  it("keeps only finite ticks at or after the start", () => {
    const heads = playheadsOf([
      remoteUser(1, "u1", "Ada", { playhead: 960 }),
      remoteUser(2, "u2", "Bob", { playhead: null }),
      remoteUser(3, "u3", "Cy", { playhead: -5 }),
      remoteUser(4, "u4", "Di", { playhead: Number.NaN }),
      remoteUser(5, "u5", "Ed", { playhead: 0 }),
    ]);
    expect(heads.map((h) => [h.clientId, h.tick])).toEqual([[1, 960], [5, 0]]);
  });
});
