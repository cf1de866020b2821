/** Small initials of the other people who have a track selected (mixer strips, editors);
 * `named` adds their names (the editors have the room). */
import { initials, textOn } from "./colour";
import styles from "./Presence.module.css";
import type { Avatar } from "./remote";

type Visitor = Pick<Avatar, "userId" | "name" | "colour">;

export function Visitors({ people, named = false }: { people: readonly Visitor[];
                                                      named?: boolean }) {
  if (people.length === 0) return null;
  const names = people.map((p) => p.name).join(", ");
  return (
    <span className={named ? styles.namedVisitors : styles.visitors}
          data-testid="track-visitors" role="img" aria-label={`Also here: ${names}`}
          title={`Also here: ${names}`}>
      {people.map((person) => (
        <span key={person.userId} className={styles.visitor} data-user-id={person.userId}>
          <span className={styles.dot}
                style={{ background: person.colour, color: textOn(person.colour) }}>
            {initials(person.name)}
          </span>
          {named ? <span className={styles.visitorName}>{person.name}</span> : null}
        </span>
      ))}
      {named ? <span className="muted">{people.length > 1 ? "are" : "is"} on this track</span>
        : null}
    </span>
  );
}
