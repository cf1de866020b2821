/** A labelled progress bar (percent 0..100, or indeterminate when null). */
export function Progress({ label, percent }: { label: string; percent: number | null }) {
  return (
    <div className="stack" style={{ gap: 4 }}>
      <span className="muted" style={{ fontSize: 13 }}>{label}</span>
      <progress aria-label={label} max={100} value={percent ?? undefined}
                style={{ width: "100%" }} />
    </div>
  );
}
