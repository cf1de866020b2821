// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";

import { describeIdioms, describeStyleUsed, loadStyleChoice, saveStyleChoice } from "./styleChoice";

afterEach(() => { window.localStorage.clear(); });

describe("the theory check's style", () => {
  it("says which style it used and why", () => {
    expect(describeStyleUsed({ style: "jazz", style_source: "project", project_style: "jazz" }))
      .toBe("Checked as jazz: the project's style.");
    expect(describeStyleUsed({ style: "common-practice", style_source: "default" }))
      .toBe("Checked as common-practice: the project was not composed in a style.");
    expect(describeStyleUsed({ style: "common-practice", style_source: "request",
                               project_style: "jazz" }))
      .toBe("Checked as common-practice: your choice (the project's style is jazz).");
  });

  it("names the idioms a musician would", () => {
    expect(describeIdioms(["chromatic_approach", "blue_notes", "something_new"]))
      .toBe("chromatic approach notes, blue notes, something new");
  });

  it("keeps a person's pick per project, and falls back to the project's style", () => {
    expect(loadStyleChoice("p1")).toBe("");
    saveStyleChoice("p1", "blues");
    expect(loadStyleChoice("p1")).toBe("blues");
    expect(loadStyleChoice("p2")).toBe("");
    window.localStorage.setItem("ariaforge.theoryStyle.p2", "polka");  // not a style
    expect(loadStyleChoice("p2")).toBe("");
    saveStyleChoice("p1", "");
    expect(loadStyleChoice("p1")).toBe("");
  });
});
