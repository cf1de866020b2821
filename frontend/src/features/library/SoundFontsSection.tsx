/** The SoundFonts you uploaded, each with the presets it offers (make one an instrument
 * preset to use it on a track); upload more in Samples' drop area or here. */
import { useCallback, useEffect, useState } from "react";

import { useNotify } from "@/features/workspace/state";

import { deleteSoundFont, formatBytes, listSoundFonts, type SoundFont } from "./api";
import styles from "./Library.module.css";
import { UploadBox } from "./UploadBox";

export function SoundFontsSection() {
  const notify = useNotify();
  const [items, setItems] = useState<SoundFont[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    const answer = await listSoundFonts();
    if (!answer.ok) { setError(answer.error.message); setItems([]); return; }
    setError(null);
    setItems(answer.value.items);
  }, []);
  useEffect(() => { void load(); }, [load]);

  const remove = async (font: SoundFont) => {
    const answer = await deleteSoundFont(font.id);
    setConfirming(null);
    if (!answer.ok) { notify(answer.error.message, "error"); return; }
    setItems((now) => (now ?? []).filter((f) => f.id !== font.id));
  };

  return (
    <div className="stack">
      <UploadBox onUploaded={() => void load()} />
      {error ? <p className="error" role="alert">{error}</p> : null}
      {items === null ? <p className={styles.empty} role="status">Loading SoundFonts…</p>
        : items.length === 0 ? (
          <p className={styles.empty} role="status">
            No SoundFonts yet. Upload an SF2 file to play your own instruments.
          </p>
        ) : (
          <ul className={styles.list} aria-label="SoundFonts">
            {items.map((font) => (
              <li key={font.id} className={styles.item}>
                <div className={styles.itemHead}>
                  <span className={styles.itemName} title={font.name}>{font.name}</span>
                  <span className="badge">{formatBytes(font.size_bytes)}</span>
                </div>
                <details>
                  <summary className={styles.hint}>
                    {font.presets.length === 1 ? "1 preset" : `${font.presets.length} presets`}
                  </summary>
                  <ul className={styles.meta} style={{ listStyle: "none", padding: 0 }}>
                    {font.presets.slice(0, 200).map((p) => (
                      <li key={`${p.bank}:${p.preset}`}>{p.bank}:{p.preset} {p.name}</li>
                    ))}
                  </ul>
                </details>
                <div className={styles.actions}>
                  {confirming === font.id ? (
                    <>
                      <button type="button" className="danger"
                              onClick={() => void remove(font)}>Delete {font.name}?</button>
                      <button type="button" onClick={() => setConfirming(null)}>Keep</button>
                    </>
                  ) : (
                    <button type="button" aria-label={`Delete ${font.name}`}
                            onClick={() => setConfirming(font.id)}>Delete</button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
