// @vitest-environment jsdom
/** The instrument picker: search, GM families, listbox keyboard use, drum kits. */
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { groupByFamily, MELODIC, searchInstruments } from "./catalog";
import { InstrumentPicker } from "./InstrumentPicker";

afterEach(cleanup);

function renderPicker(value: number, isDrum = false) {
  const chosen: number[] = [];
  render(<InstrumentPicker value={value} isDrum={isDrum} label="Instrument"
                           onChange={(p) => chosen.push(p)} />);
  return chosen;
}

describe("instrument catalog", () => {
  it("groups the 128 programs into the 16 GM families of 8", () => {
    const groups = groupByFamily(MELODIC);
    expect(groups).toHaveLength(16);
    expect(groups.map((g) => g.options.length)).toEqual(Array(16).fill(8));
    expect(groups[4]?.family).toBe("Bass");
    expect(groups[4]?.options[1]?.name).toBe("Electric Bass (finger)");
  });

  it("searches names, families and GM numbers, every word", () => {
    expect(searchInstruments(MELODIC, "fretless").map((o) => o.program)).toEqual([35]);
    // "Lead 8 (bass + lead)" is a synth lead with bass in its name.
    expect(searchInstruments(MELODIC, "bass synth").map((o) => o.program))
      .toEqual([38, 39, 87]);
    expect(searchInstruments(MELODIC, "reed").length).toBeGreaterThanOrEqual(8);
    expect(searchInstruments(MELODIC, "41").map((o) => o.name)).toContain("Violin");
    expect(searchInstruments(MELODIC, "")).toHaveLength(128);
  });
});

describe("InstrumentPicker", () => {
  it("shows the current instrument and lists the families as groups", () => {
    renderPicker(33);
    const button = screen.getByTestId("instrument-picker");
    expect(button.textContent).toContain("Electric Bass (finger)");
    fireEvent.click(button);
    const list = screen.getByRole("listbox", { name: "Instrument" });
    expect(within(list).getAllByRole("group")).toHaveLength(16);
    expect(within(list).getAllByRole("option")).toHaveLength(128);
    expect(within(list).getByRole("option", { selected: true }).textContent)
      .toContain("Electric Bass (finger)");
  });

  it("filters as you type and picks with the arrow keys and Enter", () => {
    const chosen = renderPicker(0);
    fireEvent.click(screen.getByTestId("instrument-picker"));
    const search = screen.getByRole("combobox");
    fireEvent.change(search, { target: { value: "sax" } });
    const options = screen.getAllByRole("option");
    expect(options.map((o) => o.textContent?.replace(/^\d+/, ""))).toEqual(
      ["Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax"]);
    // The first match is active; Down moves to the next, as aria-activedescendant says.
    fireEvent.keyDown(search, { key: "ArrowDown" });
    const active = search.getAttribute("aria-activedescendant");
    expect(document.getElementById(active ?? "")?.textContent).toContain("Alto Sax");
    fireEvent.keyDown(search, { key: "Enter" });
    expect(chosen).toEqual([65]);
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("closes on Escape without choosing, and picks with a click", () => {
    const chosen = renderPicker(0);
    fireEvent.click(screen.getByTestId("instrument-picker"));
    fireEvent.keyDown(screen.getByRole("combobox"), { key: "Escape" });
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(chosen).toEqual([]);
    fireEvent.click(screen.getByTestId("instrument-picker"));
    fireEvent.click(screen.getByRole("option", { name: /Cello/ }));
    expect(chosen).toEqual([42]);
  });

  it("lists drum kits for a drum track", () => {
    renderPicker(0, true);
    fireEvent.click(screen.getByTestId("instrument-picker"));
    const names = screen.getAllByRole("option").map((o) => o.textContent ?? "");
    expect(names.some((n) => n.includes("Standard Kit"))).toBe(true);
    expect(names.some((n) => n.includes("Brush Kit"))).toBe(true);
    expect(names.some((n) => n.includes("Piano"))).toBe(false);
  });
});
