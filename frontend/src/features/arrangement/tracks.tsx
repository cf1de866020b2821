/** Track roles and instruments as the arrangement offers them. */
import type { Track } from "@/api/types";
import { GM_FAMILIES, GM_PROGRAMS, programName } from "@/lib/gm";

export type Role = NonNullable<Track["role"]>;
export const ROLES: { value: Role; label: string; program: number }[] = [
  { value: "melody", label: "Melody", program: 73 },
  { value: "chords", label: "Chords", program: 0 },
  { value: "bass", label: "Bass", program: 33 },
  { value: "drums", label: "Drums", program: 0 },
  { value: "pad", label: "Pad", program: 89 },
  { value: "other", label: "Other", program: 0 },
];
export function roleLabel(role: Track["role"]): string {
  if (role === "audio") return "Audio";
  return ROLES.find((r) => r.value === role)?.label ?? "Other";
}

export function instrumentLabel(track: Pick<Track, "is_drum" | "program">): string {
  return track.is_drum ? "Drum kit" : programName(track.program ?? 0);
}

/** GM programs grouped by family, for a <select>. */
export function ProgramOptions() {
  return (
    <>
      {GM_FAMILIES.map((family, f) => (
        <optgroup key={family} label={family}>
          {GM_PROGRAMS.slice(f * 8, f * 8 + 8).map((name, i) => (
            <option key={name} value={f * 8 + i}>{`${f * 8 + i + 1}. ${name}`}</option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
