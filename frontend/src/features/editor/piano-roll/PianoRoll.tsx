"use client";
/** The piano roll for one pitched track: an SVG grid (128 rows × the score's bars) with
 * piano keys on the left and a bar ruler on top, inside one scroll box (both sticky).
 * Click empty space to add a note, drag a note to move it, drag its right edge to resize;
 * drags draw optimistically and save one batch on pointer-up. Drag on empty space to select
 * with a box (Shift adds); Ctrl/⌘+C, X, V, D and A copy, cut, paste (at the playhead or the
 * last place clicked), duplicate and select all; a velocity lane sits under the grid; notes
 * sound as they are placed or clicked. The others in a live session
 * show here too: who has this track selected, their selected notes outlined in their
 * colour, and their playheads as lines in their colour; this roll's selection is shared. */
import { useCallback, useEffect, useMemo, useRef, useState,
         type KeyboardEvent as ReactKeyboardEvent } from "react";

import type { Track } from "@/api/types";
import { useCollab } from "@/features/collab/useCollab";
import { getAppClip } from "@/features/editor/clipboard";
import { lastQuantizeOptions } from "@/features/editor/QuantizeMenu";
import { isTextTarget } from "@/features/editor/shortcuts";
import type { NoteEditing } from "@/features/editor/useNoteEditing";
import { useAudition } from "@/features/playback/api";
import { useSharePhrase } from "@/features/originality/phrase";
import { useFollowPlayhead } from "@/features/playback/follow";
import { useShareNoteSelection } from "@/features/presence/LocalPresence";
import { RemotePlayheadLines } from "@/features/presence/RemotePlayheads";
import { markedNotes, marksOn, visitorsOf } from "@/features/presence/remote";
import { Visitors } from "@/features/presence/Visitors";
import { usePlayhead, useProject, useScore, useSelection } from "@/features/workspace/state";
import { barLayout, noteLengthFor, pitchToY, scoreEnd, snapTick, xToTick,
         type GridDivision } from "@/lib/geometry";
import { trackColour } from "@/lib/trackColour";

import type { Drag, DragGrid } from "./drag";
import { EditToolbar } from "./EditToolbar";
import { HEIGHT, KEYS, LANE_HEIGHT, PITCH_VIEW, ROW, RULER } from "./layout";
import styles from "./PianoRoll.module.css";
import { RollBackground } from "./RollBackground";
import { RollKeys } from "./RollKeys";
import { RollNoteRect } from "./RollNoteRect";
import { RollRuler } from "./RollRuler";
import { RollToolbar } from "./RollToolbar";
import { useOptimisticNotes } from "./useOptimisticNotes";
import { usePianoRollDrag } from "./usePianoRollDrag";
import { useRollClipboard } from "./useRollClipboard";
import { useRollCommands } from "./useRollCommands";
import { useRollKeyboard } from "./useRollKeyboard";
import { useRollView } from "./useRollView";
import { useSelectionEdits } from "./useSelectionEdits";
import { VelocityLane } from "./VelocityLane";

export function PianoRoll({ track, editing }: { track: Track; editing: NoteEditing }) {
  const { canEdit: editable } = useProject();
  const { score } = useScore();
  const { highlightedNoteIds, focusTick } = useSelection();
  const { playheadTick, setPlayheadTick } = usePlayhead();
  const trackId = track.id ?? "";
  const { remoteUsers } = useCollab();
  const marks = useMemo(() => marksOn(remoteUsers, trackId), [remoteUsers, trackId]);
  const remoteNotes = useMemo(() => markedNotes(marks), [marks]);
  const bars = useMemo(() => (score ? barLayout(score) : []), [score]);
  const end = scoreEnd(bars);
  const [division, setDivision] = useState<GridDivision>("1/16");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [activeId, setActiveId] = useState<string | null>(null);
  const gridRef = useRef<SVGSVGElement>(null);
  const dragging = useRef<Drag | null>(null);
  const colour = trackColour(track);
  const { base, settled, settledById, save } = useOptimisticNotes(track, editing);
  const view = useRollView({ trackId, notes: base, highlightedNoteIds, focusTick,
                             playheadTick, dragging });
  const ppt = view.ppt;
  const grid: DragGrid = { division, bars, end, time: { pixelsPerTick: ppt },
                           pitch: PITCH_VIEW };
  const audition = useAudition();
  const program = track.program ?? 0;
  const sound = useCallback((pitch: number, velocity?: number) => {
    audition({ pitch, program, isDrum: false, velocity });
  }, [audition, program]);
  // Where a paste goes: the last press on the grid or the playhead, whichever came last.
  const pasteAnchor = useRef<number>(playheadTick ?? 0);
  useEffect(() => { if (playheadTick !== null) pasteAnchor.current = playheadTick; },
            [playheadTick]);
  const pointer = usePianoRollDrag({ settled, settledById, selected, setSelected,
                                     setActiveId, grid, trackId, editable, gridRef, save,
                                     dragging, sound,
                                     onPressTick: (tick) => { pasteAnchor.current = tick; } });
  const { notes, drag, hover } = pointer;
  const byId = useMemo(() => new Map(notes.map((n) => [n.id, n])), [notes]);
  const selection = useMemo(() => notes.filter((n) => selected.has(n.id)), [notes, selected]);
  const edits = useSelectionEdits({ selection, setSelected, editable, end, save });
  const [, setClipVersion] = useState(0);
  const section = useRef<HTMLElement>(null);
  const commands = useRollCommands({ notes, selection, setSelected, trackId, end, division,
                                     bars, editable, save,
                                     pasteTick: () => pasteAnchor.current });
  useFollowPlayhead(view.scroller, (tick) => tick * ppt, { leadingPx: KEYS });
  useRollClipboard({ section, commands, editable,
                     onCopied: () => setClipVersion((v) => v + 1) });
  const onGridKeyDown = useRollKeyboard({ notes, byId, selection, setSelected, setActiveId,
                                          edits, editable, division, bars, end, playheadTick,
                                          trackId, gridRef, save });

  useShareNoteSelection(trackId, selected);
  useSharePhrase(trackId, track.name ?? "", selection);  // "Search by phrase" (Originality)

  // Forget selected notes that are gone (deleted here or elsewhere).
  useEffect(() => {
    setSelected((current) => {
      const kept = [...current].filter((id) => settledById.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [settledById]);

  // A new track starts with nothing selected.
  useEffect(() => {
    setSelected(new Set());
    setActiveId(null);
  }, [trackId]);

  const latestEnd = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
  const width = Math.ceil(Math.max(end, latestEnd) * ppt) + 40;
  const rovingId = activeId && byId.has(activeId) ? activeId
    : (selection[0]?.id ?? notes[0]?.id ?? null);
  const cursor = !editable ? styles.readOnlyCursor
    : drag && (drag.mode === "body" || drag.mode === "resize")
      ? (drag.mode === "resize" ? styles.resizing : styles.moving)
    : hover === "resize" ? styles.resizeCursor : hover === "body" ? styles.moveCursor : "";
  const helpId = `roll-help-${trackId}`;

  const onSectionKey = (event: ReactKeyboardEvent | KeyboardEvent) => {
    if (isTextTarget(event.target) || event.altKey) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === "d") {
      event.preventDefault();
      if (editable) commands.duplicate();
    } else if (mod && key === "a") {
      event.preventDefault();
      commands.selectAll();
    } else if (!mod && key === "q" && editable) {
      event.preventDefault();
      commands.quantize(lastQuantizeOptions());
    }
  };

  // The same keys when nothing more specific has focus: the page, or a panel around the
  // roll (after a click on the ruler, focus goes to the editor's column).
  const sectionKey = useRef(onSectionKey);
  sectionKey.current = onSectionKey;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const focused = document.activeElement;
      const roll = section.current;
      if (!roll || (focused && focused !== document.body && !focused.contains(roll))) return;
      // Keys aimed inside the roll already went through its own handler.
      if (roll.contains(event.target as Node)) return;
      sectionKey.current(event);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <section className={styles.roll} aria-label={`Piano roll: ${track.name}`}
             ref={section} onKeyDown={onSectionKey}>
      <RollToolbar division={division} onDivision={setDivision} zoom={view.zoom}
                   zoomBy={view.zoomBy} editable={editable} selectionCount={selection.length}
                   noteCount={notes.length} edits={edits} onQuantize={commands.quantize} />
      <EditToolbar commands={{ ...commands,
                               copy: () => { const c = commands.copy();
                                             setClipVersion((v) => v + 1); return c; },
                               cut: () => { const c = commands.cut();
                                            setClipVersion((v) => v + 1); return c; } }}
                   editable={editable} selectionCount={selection.length}
                   noteCount={notes.length} canPaste={getAppClip() !== null}
                   onDelete={edits.deleteSelection} />
      <Visitors people={visitorsOf(marks)} named />
      <p id={helpId} className="sr-only">
        {editable
          ? "Click empty space to add a note, drag a note to move it, drag its right edge to " +
            "resize, drag on empty space to select with a box (Shift adds). Ctrl+C, X, V, " +
            "D and A copy, cut, paste at the playhead, duplicate and select all; Q quantizes. " +
            "Keyboard: Tab to the notes, Left and Right arrows go from note to note, " +
            "Enter or Space selects (Shift adds), Up and Down transpose the selection (Shift: " +
            "an octave), Alt with Left or Right moves it by the grid, Delete removes it, " +
            "Ctrl+Z undoes. Enter on the empty grid adds a C4 at the playhead."
          : "Read-only: you can view the notes but not change them."}
      </p>
      <div className={styles.scroller} ref={view.scroller}>
        <div className={styles.canvas} style={{ width: KEYS + width }}>
          <div className={styles.rulerRow} style={{ height: RULER }}>
            <div className={styles.corner} style={{ width: KEYS }} aria-hidden />
            <RollRuler bars={bars} ppt={ppt} width={width} playheadTick={playheadTick}
                       onSeek={(x) => setPlayheadTick(snapTick(xToTick(x, grid.time),
                                                               division, bars, "round"))} />
          </div>
          <div className={styles.body} style={{ height: HEIGHT }}>
            <RollKeys />
            <svg ref={gridRef} data-testid="piano-roll-grid" width={width} height={HEIGHT}
                 className={`${styles.grid} ${cursor}`} tabIndex={0} role="group"
                 aria-label={`${track.name} notes${editable ? "" : " (read-only)"}`}
                 aria-describedby={helpId}
                 onPointerDown={editable ? pointer.onPointerDown : undefined}
                 onPointerMove={editable ? pointer.onPointerMove : undefined}
                 onPointerUp={editable ? pointer.onPointerUp : undefined}
                 onPointerCancel={editable ? pointer.onPointerCancel : undefined}
                 onPointerLeave={editable ? pointer.onPointerLeave : undefined}
                 onKeyDown={onGridKeyDown}>
              <RollBackground bars={bars} division={division} ppt={ppt} width={width}
                              end={end} />
              {drag?.mode === "add" && !drag.moved ? (
                <rect x={drag.tick * ppt} y={pitchToY(drag.pitch, PITCH_VIEW)}
                      width={noteLengthFor(division) * ppt} height={ROW - 1}
                      className={styles.ghost} />
              ) : null}
              {notes.map((note) => (
                <RollNoteRect key={note.id} note={note} bars={bars} ppt={ppt} colour={colour}
                              selected={selected.has(note.id)}
                              highlighted={highlightedNoteIds.has(note.id)}
                              editable={editable} tabStop={note.id === rovingId}
                              remote={remoteNotes.get(note.id)}
                              onFocus={() => setActiveId(note.id)} />
              ))}
              {pointer.box ? (
                <rect data-testid="selection-box" x={pointer.box.left} y={pointer.box.top}
                      width={pointer.box.right - pointer.box.left}
                      height={pointer.box.bottom - pointer.box.top} className={styles.box} />
              ) : null}
              <RemotePlayheadLines ppt={ppt} height={HEIGHT} />
              {playheadTick !== null ? (
                <line data-testid="playhead" x1={playheadTick * ppt} x2={playheadTick * ppt}
                      y1={0} y2={HEIGHT} className={styles.playhead} />
              ) : null}
            </svg>
          </div>
          <div className={styles.laneRow} style={{ height: LANE_HEIGHT }}>
            <div className={styles.laneHead} style={{ width: KEYS }} aria-hidden>Vel</div>
            <VelocityLane notes={notes} selected={selected} ppt={ppt} width={width}
                          colour={colour} editable={editable}
                          onCommit={commands.setVelocities}
                          onPick={(id) => setSelected(new Set([id]))} />
          </div>
        </div>
      </div>
    </section>
  );
}
