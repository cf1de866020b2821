"use client";
/** Who is in the project now: an avatar per person (initials in their colour; this browser
 * first, marked "you"), and the live session's state, in the workspace's top bar. */
import { useMemo } from "react";

import { useCollab, type CollabStatus } from "@/features/collab/useCollab";
import { useScore } from "@/features/workspace/state";

import { initials, safeColour, textOn } from "./colour";
import styles from "./Presence.module.css";
import { avatarsOf, type Avatar } from "./remote";

/** More people than this share one "+N" avatar (its title names them). */
export const MAX_AVATARS = 8;

const STATUS_TEXT: Record<CollabStatus, string> = {
  live: "Live", connecting: "Connecting…", offline: "Offline", unavailable: "Not live",
};
const STATUS_HELP: Record<CollabStatus, string> = {
  live: "Edits appear for everyone here as they are made.",
  connecting: "Joining the live session…",
  offline: "The connection was lost: your edits stay here and merge when it returns.",
  unavailable: "Live editing is not available: changes are saved one at a time.",
};

export function PresenceBar() {
  const { status, reason, localUser, remoteUsers, role } = useCollab();
  const { score } = useScore();
  const others = useMemo(() => avatarsOf(remoteUsers), [remoteUsers]);
  const trackNames = useMemo(() => new Map((score?.tracks ?? []).map(
    (t) => [t.id ?? "", t.name ?? "Track"])), [score?.tracks]);

  if (status === "unavailable" && !reason && others.length === 0) return null;
  const where = (person: Avatar) => {
    const names = person.trackIds.map((id) => trackNames.get(id)).filter(Boolean);
    return names.length ? `, on ${names.join(", ")}` : "";
  };
  const shown = others.slice(0, others.length > MAX_AVATARS ? MAX_AVATARS - 1 : MAX_AVATARS);
  const hidden = others.slice(shown.length);
  const me = localUser ? { ...localUser, colour: safeColour(localUser.colour, localUser.id) }
    : null;

  return (
    <div className={styles.bar} data-testid="presence" role="group"
         aria-label="People in this project">
      <span className={styles.status} data-status={status} data-testid="collab-status"
            title={reason ?? STATUS_HELP[status]}>{STATUS_TEXT[status]}</span>
      <ul className={styles.avatars}>
        {me ? (
          <li>
            <span className={`${styles.avatar} ${styles.you}`} data-testid="presence-avatar"
                  data-user-id={me.id} data-you="" role="img"
                  style={{ background: me.colour, color: textOn(me.colour) }}
                  title={`${me.name || "You"} (you${role ? `, ${role}` : ""})`}
                  aria-label={`${me.name || "You"} (you)`}>
              {initials(me.name)}
            </span>
          </li>
        ) : null}
        {shown.map((person) => {
          const label = `${person.name}${person.role ? ` (${person.role})` : ""}${where(person)}`
            + (person.tabs > 1 ? ` — ${person.tabs} tabs` : "");
          return (
            <li key={person.userId}>
              <span className={styles.avatar} data-testid="presence-avatar"
                    data-user-id={person.userId} role="img"
                    style={{ background: person.colour, color: textOn(person.colour) }}
                    title={label} aria-label={label}>
                {initials(person.name)}
                {person.tabs > 1 ? <span className={styles.tabs} aria-hidden>
                  {person.tabs}</span> : null}
              </span>
            </li>
          );
        })}
        {hidden.length ? (
          <li>
            <span className={`${styles.avatar} ${styles.more}`} data-testid="presence-more"
                  role="img"
                  title={hidden.map((p) => p.name).join(", ")}
                  aria-label={`and ${hidden.length} more: ${hidden.map((p) => p.name)
                    .join(", ")}`}>
              +{hidden.length}
            </span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
