"use client";
/** Web MIDI input: asks the browser for MIDI access (on a person's action, since it may
 * prompt), lists the input ports (and follows ports plugged in or out), and hands the note
 * events of the chosen port (or all ports) to `onEvent` with the time they arrived. */
import { useCallback, useEffect, useRef, useState } from "react";

import { MidiParser, type MidiEvent } from "./messages";

/** The parts of the Web MIDI API used here (a test may provide its own). */
interface MidiInputPort {
  id: string;
  name?: string | null;
  manufacturer?: string | null;
  state?: string;
  onmidimessage: ((event: { data: Uint8Array | null }) => void) | null;
}
interface MidiAccessLike {
  inputs: { forEach(callback: (port: MidiInputPort) => void): void };
  onstatechange: ((event: unknown) => void) | null;
}

export type MidiStatus = "unsupported" | "idle" | "asking" | "ready" | "denied";

export interface MidiInputInfo {
  id: string;
  name: string;
}

export const ALL_INPUTS = "all";
const STORAGE_KEY = "ariaforge.midi-input";

export interface MidiInput {
  status: MidiStatus;
  error: string | null;
  inputs: MidiInputInfo[];
  /** A port id, or ALL_INPUTS. */
  selected: string;
  select(id: string): void;
  connect(): Promise<boolean>;
}

export function useMidiInput(onEvent: (event: MidiEvent, atMs: number) => void): MidiInput {
  const supported = typeof navigator !== "undefined" && "requestMIDIAccess" in navigator;
  const [status, setStatus] = useState<MidiStatus>(supported ? "idle" : "unsupported");
  const [error, setError] = useState<string | null>(null);
  const [inputs, setInputs] = useState<MidiInputInfo[]>([]);
  const [selected, setSelected] = useState<string>(() => {
    try { return localStorage.getItem(STORAGE_KEY) ?? ALL_INPUTS; } catch { return ALL_INPUTS; }
  });
  const access = useRef<MidiAccessLike | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  /** (Re)attach a parser to every port: each port keeps its own running status. */
  const attach = useCallback(() => {
    const midi = access.current;
    if (!midi) return;
    const found: MidiInputInfo[] = [];
    midi.inputs.forEach((port) => {
      if (port.state === "disconnected") return;
      found.push({ id: port.id, name: port.name || port.manufacturer || `Input ${port.id}` });
      const parser = new MidiParser();
      port.onmidimessage = (message) => {
        const now = performance.now();
        if (selectedRef.current !== ALL_INPUTS && selectedRef.current !== port.id) return;
        if (!message.data) return;
        for (const event of parser.feed(message.data)) handler.current(event, now);
      };
    });
    setInputs(found);
  }, []);

  const connect = useCallback(async () => {
    if (access.current) return true;
    if (!supported) return false;
    setStatus("asking");
    try {
      const request = (navigator as unknown as {
        requestMIDIAccess(options?: { sysex?: boolean }): Promise<MidiAccessLike>;
      }).requestMIDIAccess({ sysex: false });
      const midi = await request;
      access.current = midi;
      midi.onstatechange = () => attach();
      attach();
      setStatus("ready");
      setError(null);
      return true;
    } catch (err) {
      setStatus("denied");
      setError(err instanceof Error ? err.message : "MIDI access was refused.");
      return false;
    }
  }, [attach, supported]);

  // Let go of the ports when the editor goes away.
  useEffect(() => () => {
    access.current?.inputs.forEach((port) => { port.onmidimessage = null; });
    if (access.current) access.current.onstatechange = null;
  }, []);

  const select = useCallback((id: string) => {
    setSelected(id);
    try { localStorage.setItem(STORAGE_KEY, id); } catch { /* private mode: not kept */ }
  }, []);

  return { status, error, inputs, selected, select, connect };
}
