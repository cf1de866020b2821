"use client";
/** Pick a GM instrument: a button showing the current one opens a searchable list grouped by
 * GM family (or the drum kits for a drum track). Hovering, moving to (arrow keys) or
 * clicking an instrument auditions it through the in-browser player, so you hear it before
 * you choose. Keyboard: the search box keeps focus while Up/Down/Home/End/PageUp/PageDown
 * move through the list (aria-activedescendant), Enter picks, Escape closes. */
import { useEffect, useId, useMemo, useRef, useState,
         type KeyboardEvent as ReactKeyboardEvent } from "react";

import { useAudition } from "@/features/playback/api";

import { usePopoverPosition } from "./popover";
import { groupByFamily, instrumentName, instrumentOptions, searchInstruments,
         type InstrumentOption } from "./catalog";
import styles from "./InstrumentPicker.module.css";

export interface InstrumentPickerProps {
  /** The GM program (0–127); for drum tracks, the drum kit's program. */
  value: number;
  isDrum: boolean;
  onChange(program: number): void;
  /** The visible label and the list's accessible name. */
  label?: string;
  /** Viewers see the instrument but cannot change it. */
  disabled?: boolean;
  /** Keep the label for screen readers only (a tight tool row). */
  hideLabel?: boolean;
}

/** The pitch an instrument is auditioned on: low for basses, a snare for drum kits. */
function auditionPitch(option: InstrumentOption, isDrum: boolean): number {
  if (isDrum) return 38;
  if (option.family === "Bass") return 43;
  return 60;
}

const HOVER_AUDITION_DELAY_MS = 120;
const PAGE = 8;

export function InstrumentPicker({ value, isDrum, onChange, label = "Instrument",
                                   disabled = false, hideLabel = false }: InstrumentPickerProps) {
  const audition = useAudition();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState<number>(value);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const hoverTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const options = useMemo(() => searchInstruments(instrumentOptions(isDrum), query),
                          [isDrum, query]);
  const groups = useMemo(() => groupByFamily(options), [options]);
  const optionId = (program: number) => `${id}-option-${program}`;

  const sound = (option: InstrumentOption) => {
    audition({ pitch: auditionPitch(option, isDrum), program: option.program, isDrum,
               velocity: 100, durationMs: 700 });
  };
  const cancelHover = () => {
    if (hoverTimer.current) clearTimeout(hoverTimer.current);
    hoverTimer.current = null;
  };
  useEffect(() => cancelHover, []);

  const openList = () => {
    if (disabled) return;
    setQuery("");
    setActive(value);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    cancelHover();
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const choose = (option: InstrumentOption) => {
    sound(option);
    if (option.program !== value) onChange(option.program);
    close(true);
  };

  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    const onDown = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", onDown);
    return () => document.removeEventListener("pointerdown", onDown);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  // Keep the active option in view as the keyboard moves it.
  useEffect(() => {
    if (!open) return;
    const element = document.getElementById(optionId(active));
    element?.scrollIntoView?.({ block: "nearest" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, open]);

  const activeIndex = options.findIndex((o) => o.program === active);
  const moveTo = (index: number) => {
    const option = options[Math.max(0, Math.min(options.length - 1, index))];
    if (!option) return;
    setActive(option.program);
    sound(option);
  };

  const onSearchKey = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(activeIndex < 0 ? 0 : activeIndex + 1),
      ArrowUp: () => moveTo(activeIndex < 0 ? 0 : activeIndex - 1),
      PageDown: () => moveTo(activeIndex + PAGE),
      PageUp: () => moveTo(activeIndex - PAGE),
      Home: () => moveTo(0),
      End: () => moveTo(options.length - 1),
      Enter: () => {
        const option = options[activeIndex] ?? options[0];
        if (option) choose(option);
      },
      Escape: () => close(true),
    };
    const action = keys[event.key];
    if (!action) return;
    // Home/End move the caret in a search box with text in it; only take them when empty.
    if ((event.key === "Home" || event.key === "End") && query) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };

  const onQuery = (text: string) => {
    setQuery(text);
    const first = searchInstruments(instrumentOptions(isDrum), text)[0];
    if (first) setActive(first.program);
  };

  const panelStyle = usePopoverPosition(button, open, 280, () => close(false));
  const current = instrumentName(value, isDrum);
  const listId = `${id}-list`;
  return (
    <div className={styles.picker} ref={root}>
      <span className={hideLabel ? "sr-only" : styles.label} id={`${id}-label`}>{label}</span>
      <button ref={button} type="button" className={styles.button}
              id={`${id}-button`} aria-haspopup="listbox" aria-expanded={open}
              aria-labelledby={`${id}-label ${id}-button`} disabled={disabled}
              data-testid="instrument-picker" data-program={value}
              onClick={() => (open ? close(true) : openList())}
              onKeyDown={(e) => {
                if (e.key === "ArrowDown" && !open) { e.preventDefault(); openList(); }
              }}>
        <span className={styles.current}>{current}</span>
        <span aria-hidden className={styles.caret}>▾</span>
      </button>
      {open ? (
        <div className={styles.popover} style={panelStyle} data-popover>
          <input ref={search} type="search" className={styles.search} value={query}
                 placeholder={isDrum ? "Search drum kits" : "Search instruments"}
                 role="combobox" aria-expanded aria-controls={listId}
                 aria-autocomplete="list" aria-label={`Search ${label.toLowerCase()}s`}
                 aria-activedescendant={activeIndex >= 0 ? optionId(active) : undefined}
                 onChange={(e) => onQuery(e.target.value)} onKeyDown={onSearchKey} />
          <ul ref={list} id={listId} role="listbox" aria-label={label}
              className={styles.list} onPointerLeave={cancelHover}>
            {groups.map((group) => (
              <li key={group.family} role="presentation">
                <ul role="group" aria-label={group.family} className={styles.group}>
                  <li role="presentation" className={styles.family} aria-hidden>
                    {group.family}
                  </li>
                  {group.options.map((option) => (
                    <li key={option.program} id={optionId(option.program)} role="option"
                        aria-selected={option.program === value}
                        data-active={option.program === active || undefined}
                        className={styles.option}
                        onPointerEnter={() => {
                          cancelHover();
                          setActive(option.program);
                          hoverTimer.current = setTimeout(() => sound(option),
                                                          HOVER_AUDITION_DELAY_MS);
                        }}
                        onPointerDown={(e) => e.preventDefault()}
                        onClick={() => choose(option)}>
                      <span className={styles.number}>{option.program + 1}</span>
                      <span>{option.name}</span>
                      {option.program === value ? <span className={styles.tick} aria-hidden>✓</span>
                        : null}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
            {options.length === 0 ? (
              <li role="presentation" className={styles.empty}>No instrument matches.</li>
            ) : null}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
