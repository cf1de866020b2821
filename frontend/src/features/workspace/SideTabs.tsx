/** The right-hand column's tabs: Mixer, Theory, Notation, Originality, Library and Stats
 * (arrow keys move between the tabs; a panel stays mounted once opened). */
import { useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { AnalyticsPanel } from "@/features/analytics/AnalyticsPanel";
import { LibraryPanel } from "@/features/library/LibraryPanel";
import { Mixer } from "@/features/mixer/Mixer";
import { NotationView } from "@/features/notation/NotationView";
import { OriginalityPanel } from "@/features/originality/OriginalityPanel";
import { TheoryPanel } from "@/features/theory/TheoryPanel";

import styles from "./workspace.module.css";

const TABS = [
  { id: "mixer", label: "Mixer" },
  { id: "theory", label: "Theory" },
  { id: "notation", label: "Notation" },
  { id: "originality", label: "Originality" },
  { id: "library", label: "Library" },
  { id: "stats", label: "Stats" },
] as const;
type TabId = (typeof TABS)[number]["id"];

const PANELS: Record<TabId, () => ReactNode> = {
  mixer: () => <Mixer />,
  theory: () => <TheoryPanel />,
  notation: () => <NotationView />,
  originality: () => <OriginalityPanel />,
  library: () => <LibraryPanel />,
  stats: () => <AnalyticsPanel />,
};

export function SideTabs() {
  const [active, setActive] = useState<TabId>("mixer");
  // Panels stay mounted once opened (a validation report survives a tab switch).
  const [opened, setOpened] = useState<ReadonlySet<TabId>>(new Set(["mixer"]));
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});

  const open = (id: TabId, focus = false) => {
    setActive(id);
    setOpened((all) => (all.has(id) ? all : new Set([...all, id])));
    if (focus) buttons.current[id]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === active);
    let next: number | null = null;
    if (event.key === "ArrowRight") next = (index + 1) % TABS.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = TABS.length - 1;
    if (next === null) return;
    event.preventDefault();
    open(TABS[next]!.id, true);
  };

  return (
    <div className={styles.tabs}>
      <div role="tablist" aria-label="Panels" className={styles.tablist} onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button key={tab.id} type="button" role="tab" id={`tab-${tab.id}`}
                  ref={(el) => { buttons.current[tab.id] = el; }}
                  aria-selected={active === tab.id} aria-controls={`panel-${tab.id}`}
                  tabIndex={active === tab.id ? 0 : -1} className={styles.tab}
                  data-testid={`tab-${tab.id}`} onClick={() => open(tab.id)}>
            {tab.label}
          </button>
        ))}
      </div>
      {TABS.map((tab) => (
        <div key={tab.id} role="tabpanel" id={`panel-${tab.id}`} aria-labelledby={`tab-${tab.id}`}
             hidden={active !== tab.id} className={styles.tabpanel} tabIndex={0}>
          {opened.has(tab.id) && PANELS[tab.id]()}
        </div>
      ))}
    </div>
  );
}
