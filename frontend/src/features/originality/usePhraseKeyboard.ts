"use client";
/** Playing a phrase on a MIDI keyboard for "Search by phrase": listens to every input port
 * (as an extra listener, so the editor's MIDI recording keeps working) from Listen to Stop
 * and turns what was played into ticks at the song's tempo. */
import { useCallback, useEffect, useRef, useState } from "react";

import { MidiParser, NoteAssembler, notesToTicks, tempoClock } from "@/features/midi/messages";

import type { MatchNote } from "./types";

interface Port {
  state?: string;
  addEventListener(type: "midimessage", listener: (event: Event) => void): void;
  removeEventListener(type: "midimessage", listener: (event: Event) => void): void;
}

interface Access { inputs: { forEach(callback: (port: Port) => void): void } }

export type KeyboardState = "unsupported" | "idle" | "asking" | "listening" | "denied";

export function usePhraseKeyboard(tempo: number) {
  const supported = typeof navigator !== "undefined" && "requestMIDIAccess" in navigator;
  const [state, setState] = useState<KeyboardState>(supported ? "idle" : "unsupported");
  const [played, setPlayed] = useState(0);
  const take = useRef<{ detach: () => void; notes: NoteAssembler; startMs: number | null } | null>(null);

  const release = useCallback(() => {
    take.current?.detach();
    take.current = null;
  }, []);
  useEffect(() => release, [release]);

  const listen = useCallback(async () => {
    if (!supported) return;
    setState("asking");
    let access: Access;
    try {
      access = await (navigator as unknown as {
        requestMIDIAccess(options?: { sysex?: boolean }): Promise<Access> }).requestMIDIAccess(
        { sysex: false });
    } catch {
      setState("denied");
      return;
    }
    release();
    const notes = new NoteAssembler();
    const me = { notes, startMs: null as number | null, detach: () => {} };
    const detachers: (() => void)[] = [];
    access.inputs.forEach((port) => {
      if (port.state === "disconnected") return;
      const parser = new MidiParser();
      const onMessage = (event: Event) => {
        const data = (event as unknown as { data?: Uint8Array | null }).data;
        if (!data) return;
        const now = performance.now();
        for (const message of parser.feed(data)) {
          me.startMs ??= now;  // the phrase starts with its first note
          notes.handle(message, now - me.startMs);
          if (message.kind === "on") setPlayed((count) => count + 1);
        }
      };
      port.addEventListener("midimessage", onMessage);
      detachers.push(() => port.removeEventListener("midimessage", onMessage));
    });
    me.detach = () => detachers.forEach((detach) => detach());
    take.current = me;
    setPlayed(0);
    setState("listening");
  }, [release, supported]);

  /** Ends the take: the notes played, in ticks from the first one. */
  const stop = useCallback((): MatchNote[] => {
    const me = take.current;
    release();
    setState(supported ? "idle" : "unsupported");
    if (!me || me.startMs === null) return [];
    const played = me.notes.finish(performance.now() - me.startMs);
    return notesToTicks(played, tempoClock(0, tempo), Number.MAX_SAFE_INTEGER)
      .map(({ pitch, start, duration }) => ({ pitch, start, duration }));
  }, [release, supported, tempo]);

  return { state, played, listen, stop };
}
