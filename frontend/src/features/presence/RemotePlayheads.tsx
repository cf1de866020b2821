/** The others' playheads, each a line in its person's colour (dashed, so this browser's own
 * playhead stays the solid one): SVG lines for the piano roll, positioned bars for the drum
 * grid. */
import { useMemo } from "react";

import { useCollab } from "@/features/collab/useCollab";

import { playheadsOf } from "./remote";

export function RemotePlayheadLines({ ppt, height }: { ppt: number; height: number }) {
  const { remoteUsers } = useCollab();
  const heads = useMemo(() => playheadsOf(remoteUsers), [remoteUsers]);
  return (
    <>
      {heads.map((head) => (
        <line key={head.clientId} data-testid="remote-playhead" data-client-id={head.clientId}
              x1={head.tick * ppt} x2={head.tick * ppt} y1={0} y2={height}
              stroke={head.colour} strokeWidth={2} strokeDasharray="6 4"
              pointerEvents="none">
          <title>{`${head.name}'s playhead`}</title>
        </line>
      ))}
    </>
  );
}

/** `left(tick)`: the CSS `left` of a tick in the grid, or null where it is not shown. */
export function RemotePlayheadBars({ left, className }: {
  left(tick: number): string | null; className?: string;
}) {
  const { remoteUsers } = useCollab();
  const heads = useMemo(() => playheadsOf(remoteUsers), [remoteUsers]);
  return (
    <>
      {heads.map((head) => {
        const at = left(head.tick);
        if (at === null) return null;
        return (
          <div key={head.clientId} className={className} data-testid="remote-playhead"
               data-client-id={head.clientId} title={`${head.name}'s playhead`} aria-hidden
               style={{ left: at, background:
                 `repeating-linear-gradient(${head.colour} 0 6px, transparent 6px 10px)` }} />
        );
      })}
    </>
  );
}
