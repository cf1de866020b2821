/** Save a blob under `name` through a temporary <a download>. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The name a Content-Disposition header gives a file: the exact UTF-8 `filename*`
 * (RFC 5987) when present, else the plain `filename`, else `fallback`. The server names
 * downloads after the project ("Rainy waltz - mix.mp3"); a blob saved by the app must
 * carry the same name, which a fetch only learns from this header. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      const charset = (extended[1] ?? "").trim().toLowerCase();
      const text = (extended[2] ?? "").trim();
      const decoded = charset === "utf-8" ? decodeURIComponent(text) : unescape(text);
      const safe = safeName(decoded);
      if (safe) return safe;
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  const name = plain ? (plain[1] ?? plain[2] ?? "").replace(/\\(.)/g, "$1").trim() : "";
  return safeName(name) || fallback;
}

/** No folders: a name with separators keeps only its last part. */
function safeName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? "").trim();
}
