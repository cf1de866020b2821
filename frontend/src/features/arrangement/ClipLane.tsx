/** An audio track's lane: each clip a block as long as its sample (stretched to the song's
 * tempo when the clip follows it), labelled with the sample's name. Drag a block (or focus
 * it and press ← / →, Shift for a bar) to move it by beats; Delete removes it. */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore,
         type KeyboardEvent, type PointerEvent } from "react";

import type { Score } from "@/api/types";
import { clipLengthTicks, type AudioClip } from "@/features/library/audioTracks";
import { knownSample, loadSampleInfo, onSamplesKnown } from "@/features/library/api";
import { barAt, barBeat, beatLength, clamp, type Bar } from "@/lib/geometry";

const LANE = 46;

/** `tick` rounded to the nearest beat of its bar. */
export function snapToBeat(bars: readonly Bar[], tick: number): number {
  const bar = barAt(bars, Math.max(0, tick));
  const beat = beatLength(bar.meter);
  return Math.round(bar.start + Math.round((Math.max(0, tick) - bar.start) / beat) * beat);
}

function useSampleInfos(ids: readonly string[]) {
  const version = useSyncExternalStore(onSamplesKnown, knownVersion, knownVersion);
  useEffect(() => { for (const id of ids) void loadSampleInfo(id); }, [ids]);
  return useMemo(() => {
    void version;
    return new Map(ids.map((id) => [id, knownSample(id)]));
  }, [ids, version]);
}
let versionCounter = 0;
onSamplesKnown(() => { versionCounter += 1; });
const knownVersion = () => versionCounter;

export function ClipLane({ clips, score, bars, ppt, width, colour, canEdit, muted, name,
                           onSelect, onClips }: {
  clips: AudioClip[]; score: Score; bars: Bar[]; ppt: number; width: number; colour: string;
  canEdit: boolean; muted: boolean; name: string; onSelect(): void;
  onClips(clips: AudioClip[]): void;
}) {
  const ids = useMemo(() => [...new Set(clips.map((c) => c.sample_id))].sort(), [clips]);
  const samples = useSampleInfos(ids);
  const [dragging, setDragging] = useState<{ id: string; start: number } | null>(null);
  const drag = useRef<{ id: string; x: number; from: number; moved: boolean } | null>(null);
  const end = bars.length ? bars[bars.length - 1]!.start + bars[bars.length - 1]!.length : 0;
  const songBpm = score.tempo ?? 120;

  const move = (id: string, start: number) => {
    const target = clamp(start, 0, Math.max(0, end - 1));
    const clip = clips.find((c) => c.id === id);
    if (!clip || clip.start === target) return;
    onClips(clips.map((c) => (c.id === id ? { ...c, start: target } : c)));
  };

  const onPointerDown = (event: PointerEvent, clip: AudioClip) => {
    event.stopPropagation();
    onSelect();
    if (!canEdit || event.button !== 0) return;
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    drag.current = { id: clip.id, x: event.clientX, from: clip.start, moved: false };
  };
  const onPointerMove = (event: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dx = event.clientX - d.x;
    if (!d.moved && Math.abs(dx) < 3) return;
    d.moved = true;
    setDragging({ id: d.id, start: clamp(snapToBeat(bars, d.from + dx / ppt), 0,
                                         Math.max(0, end - 1)) });
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    if (d?.moved && dragging) move(d.id, dragging.start);
    setDragging(null);
  };
  const onKey = (event: KeyboardEvent, clip: AudioClip) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect();
      return;
    }
    if (!canEdit) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      event.preventDefault();
      const bar = barAt(bars, clip.start);
      const step = event.shiftKey ? bar.length : beatLength(bar.meter);
      const sign = event.key === "ArrowLeft" ? -1 : 1;
      move(clip.id, snapToBeat(bars, clip.start + sign * step));
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      onClips(clips.filter((c) => c.id !== clip.id));
    }
  };

  return (
    <div role="group" aria-label={`${name}: audio track, ${clips.length} clip${
           clips.length === 1 ? "" : "s"}`}
         style={{ position: "relative", width, height: LANE, flex: "none" }}
         onClick={onSelect}>
      <svg width={width} height={LANE} aria-hidden style={{ display: "block" }}>
        {bars.map((bar) => (
          <line key={bar.number} x1={bar.start * ppt + 0.5} x2={bar.start * ppt + 0.5}
                y1={0} y2={LANE} stroke="#2a3242" />
        ))}
      </svg>
      {clips.map((clip) => {
        const info = samples.get(clip.sample_id);
        const start = dragging?.id === clip.id ? dragging.start : clip.start;
        const length = info ? clipLengthTicks(info.duration_s, songBpm, info.bpm,
                                              clip.stretch ?? false) : bars[0]?.length ?? 1920;
        const where = barBeat(bars, start);
        const label = info?.name ?? "Sample";
        return (
          <div key={clip.id} role="button" tabIndex={0} data-testid="audio-clip"
               data-sample-id={clip.sample_id}
               aria-label={`Clip ${label} at bar ${where.bar} beat ${where.beat}${
                 clip.stretch ? ", follows the tempo" : ""}${canEdit
                 ? " (arrow keys move it, Delete removes it)" : ""}`}
               title={`${label} — bar ${where.bar} beat ${where.beat}${
                 clip.gain_db ? `, ${clip.gain_db > 0 ? "+" : ""}${clip.gain_db} dB` : ""}${
                 clip.stretch ? ", stretched to the song's tempo" : ""}`}
               onPointerDown={(e) => onPointerDown(e, clip)} onPointerMove={onPointerMove}
               onPointerUp={onPointerUp} onPointerCancel={() => {
                 drag.current = null; setDragging(null);
               }}
               onClick={(e) => e.stopPropagation()}
               onKeyDown={(e) => onKey(e, clip)}
               style={{
                 position: "absolute", top: 4, height: LANE - 8, left: start * ppt,
                 width: Math.max(10, Math.min(length, Math.max(1, end - start)) * ppt - 1),
                 background: colour, opacity: muted ? 0.35 : dragging?.id === clip.id ? 0.75 : 0.9,
                 borderRadius: 4, color: "#0b0f16", fontSize: 11, fontWeight: 600,
                 padding: "2px 5px", boxSizing: "border-box", overflow: "hidden",
                 whiteSpace: "nowrap", textOverflow: "ellipsis",
                 cursor: canEdit ? (dragging ? "grabbing" : "grab") : "pointer",
                 touchAction: "none", userSelect: "none",
               }}>
            {clip.stretch ? "⇔ " : ""}{label}
          </div>
        );
      })}
    </div>
  );
}
