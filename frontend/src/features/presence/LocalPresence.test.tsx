// @vitest-environment jsdom
/** What this browser publishes: the selected track with the notes its editor reports, and
 * the playhead, at most every PLAYHEAD_EVERY_MS and always ending on the last value. */
import { act, cleanup, render } from "@testing-library/react";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { CollabContext, type CollabState } from "@/features/collab/useCollab";
import { PlayheadContext, SelectionContext, type Selection } from
  "@/features/workspace/state/contexts";

import { boundedIds, NOTE_IDS_BUDGET, PLAYHEAD_EVERY_MS, PresenceProvider,
         useShareNoteSelection } from "./LocalPresence";
import { liveSession } from "./testing";

interface Controls {
  selectTrack(id: string | null): void;
  setPlayhead(tick: number | null): void;
  shareNotes(trackId: string, ids: string[]): void;
}

function Harness({ session, controls }: { session: CollabState; controls: Controls }) {
  const [trackId, selectTrack] = useState<string | null>(null);
  const [playheadTick, setPlayheadTick] = useState<number | null>(null);
  const [shared, setShared] = useState<{ trackId: string; ids: ReadonlySet<string> }>(
    { trackId: "", ids: new Set() });
  Object.assign(controls, {
    selectTrack, setPlayhead: setPlayheadTick,
    shareNotes: (id: string, ids: string[]) => setShared({ trackId: id, ids: new Set(ids) }),
  });
  const selection: Selection = { selectedTrackId: trackId, selectTrack,
                                 highlightedNoteIds: new Set(), highlight: () => undefined,
                                 focusTick: null };
  return (
    <CollabContext.Provider value={session}>
      <SelectionContext.Provider value={selection}>
        <PlayheadContext.Provider value={{ playheadTick, setPlayheadTick }}>
          <PresenceProvider><Editor shared={shared} /></PresenceProvider>
        </PlayheadContext.Provider>
      </SelectionContext.Provider>
    </CollabContext.Provider>
  );
}

function Editor({ shared }: { shared: { trackId: string; ids: ReadonlySet<string> } }) {
  useShareNoteSelection(shared.trackId, shared.ids);
  return null;
}

function setUp() {
  const setLocalSelection = vi.fn();
  const setLocalPlayhead = vi.fn();
  const session = liveSession([], { setLocalSelection, setLocalPlayhead });
  const controls = {} as Controls;
  render(<Harness session={session} controls={controls} />);
  return { setLocalSelection, setLocalPlayhead, controls };
}

beforeEach(() => { vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }); });
afterEach(() => { cleanup(); vi.useRealTimers(); });

describe("PresenceProvider", () => {
  it("publishes the selected track with the notes its editor selected, once per change", () => {
    const { setLocalSelection, controls } = setUp();
    expect(setLocalSelection).toHaveBeenLastCalledWith(null, []);
    act(() => controls.selectTrack("lead"));
    expect(setLocalSelection).toHaveBeenLastCalledWith("lead", []);
    act(() => controls.shareNotes("lead", ["a", "b"]));
    expect(setLocalSelection).toHaveBeenLastCalledWith("lead", ["a", "b"]);
    const calls = setLocalSelection.mock.calls.length;
    act(() => controls.shareNotes("lead", ["a", "b"]));  // the same again: nothing sent
    expect(setLocalSelection).toHaveBeenCalledTimes(calls);
    // Notes of a track that is no longer selected are not claimed on the new one.
    act(() => controls.selectTrack("bass"));
    expect(setLocalSelection).toHaveBeenLastCalledWith("bass", []);
  });

  it("sends a moving playhead at most every PLAYHEAD_EVERY_MS, ending on the last tick", () => {
    const { setLocalPlayhead, controls } = setUp();
    expect(setLocalPlayhead).toHaveBeenCalledWith(null);  // the state at first
    // (sent again for the session, once the interval allows)
    act(() => { vi.advanceTimersByTime(PLAYHEAD_EVERY_MS); });
    act(() => { vi.advanceTimersByTime(PLAYHEAD_EVERY_MS); });
    setLocalPlayhead.mockClear();
    for (let tick = 1; tick <= 30; tick++) act(() => controls.setPlayhead(tick * 10.4));
    expect(setLocalPlayhead.mock.calls).toEqual([[10]]);
    act(() => { vi.advanceTimersByTime(PLAYHEAD_EVERY_MS); });
    expect(setLocalPlayhead.mock.calls).toEqual([[10], [312]]);
    act(() => { vi.advanceTimersByTime(PLAYHEAD_EVERY_MS); });
    act(() => controls.setPlayhead(null));  // stopped: sent at once, the interval has passed
    expect(setLocalPlayhead).toHaveBeenLastCalledWith(null);
    expect(setLocalPlayhead).toHaveBeenCalledTimes(3);
  });
});

describe("boundedIds", () => {
  it("keeps a selection within the awareness budget", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `note-${i}`);
    const kept = boundedIds(ids);
    expect(kept.length).toBeLessThan(ids.length);
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(NOTE_IDS_BUDGET);
    expect(kept).toEqual(ids.slice(0, kept.length));
    expect(boundedIds(["a", "b"])).toEqual(["a", "b"]);
  });
});
