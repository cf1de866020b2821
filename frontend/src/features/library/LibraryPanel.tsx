"use client";
/** The Library tab: instrument presets (apply one to the selected track), audio samples
 * (find, preview, edit, upload, add to the song as an audio clip at the playhead) and the
 * SoundFonts you uploaded. */
import { useState } from "react";

import styles from "./Library.module.css";
import { PresetsSection } from "./PresetsSection";
import { SamplesSection } from "./SamplesSection";
import { SoundFontsSection } from "./SoundFontsSection";

const SECTIONS = [
  { id: "presets", label: "Presets" },
  { id: "samples", label: "Samples" },
  { id: "soundfonts", label: "SoundFonts" },
] as const;
type SectionId = (typeof SECTIONS)[number]["id"];

export function LibraryPanel() {
  const [section, setSection] = useState<SectionId>("samples");
  // Each section stays mounted once opened (its filters and list survive a switch).
  const [opened, setOpened] = useState<ReadonlySet<SectionId>>(new Set(["samples"]));
  const open = (id: SectionId) => {
    setSection(id);
    setOpened((all) => (all.has(id) ? all : new Set([...all, id])));
  };
  return (
    <div className={styles.library} data-testid="library-panel">
      <div className={styles.sections} role="group" aria-label="Library sections">
        {SECTIONS.map((s) => (
          <button key={s.id} type="button" aria-pressed={section === s.id}
                  data-testid={`library-${s.id}`} onClick={() => open(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      {SECTIONS.map((s) => opened.has(s.id) ? (
        <section key={s.id} aria-label={s.label} hidden={section !== s.id}>
          {s.id === "presets" ? <PresetsSection /> : s.id === "samples" ? <SamplesSection />
            : <SoundFontsSection />}
        </section>
      ) : null)}
    </div>
  );
}
