// @vitest-environment jsdom
/** The arrangement in the real workspace, against a fake API: lanes select tracks for the
 * editor, and a rename is saved on the track. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Score } from "@/api/types";
import { useSelection } from "@/features/workspace/state";
import { fakeApi } from "@/test/fakeApi";
import { renderWorkspace } from "@/test/renderWorkspace";

import { ArrangementView } from "./ArrangementView";

const SCORE: Score = {
  bars: 4, tempo: 96, meter: { numerator: 3, denominator: 4 },
  tracks: [
    { id: "lead", name: "Lead", role: "melody", program: 73,
      notes: [{ id: "a", pitch: 72, start: 0, duration: 480 }] },
    { id: "bass", name: "Bass", role: "bass", program: 33, notes: [] },
  ],
};

/** Shows which track the workspace has selected, as the editor would use it. */
function SelectedTrack() {
  const { selectedTrackId } = useSelection();
  return <output aria-label="Selected track">{selectedTrackId ?? "none"}</output>;
}

describe("ArrangementView", () => {
  it("shows a lane per track and selects the one clicked", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<><ArrangementView /><SelectedTrack /></>, server);
    const bass = await screen.findByRole("button", { name: /^Bass: Bass, .*0 notes$/ });
    expect(screen.getByText(/4 bars · 96 bpm · 3\/4/)).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText("Selected track").textContent)
      .toBe("lead"));

    fireEvent.click(bass);
    expect(screen.getByLabelText("Selected track").textContent).toBe("bass");
    expect(bass.getAttribute("aria-pressed")).toBe("true");
  });

  it("renames a track: saved on the track and shown on its lane", async () => {
    const server = fakeApi({ score: SCORE });
    renderWorkspace(<ArrangementView />, server);
    fireEvent.click(await screen.findByRole("button", { name: "Rename Lead" }));
    const field = screen.getByLabelText("New name for Lead");
    fireEvent.change(field, { target: { value: "  Flute line  " } });
    fireEvent.submit(field);

    await waitFor(() => expect(server.score.tracks?.[0]?.name).toBe("Flute line"));
    await screen.findByRole("button", { name: /^Flute line: Melody, / });
    expect(server.score.tracks?.[1]?.name).toBe("Bass");
  });
});
