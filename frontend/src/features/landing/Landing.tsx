/** The front door for a visitor who is not signed in: what AriaForge is, what it does,
 * and the way in. (A signed-in person never sees it: app/page.tsx sends them on.) */
import Link from "next/link";

import styles from "./Landing.module.css";

const FEATURES: readonly { title: string; text: string }[] = [
  { title: "From a sentence to a song",
    text: "Describe the music — “a melancholic waltz in D minor for piano and strings” — and "
      + "get a full arrangement in seconds: melody, chords, bass and drums, on tracks you own." },
  { title: "Hear it, read it, change it",
    text: "Play it in the browser as you edit, read it as notation, move notes in the piano "
      + "roll and drum grid, edit chords, sections, tempo and key, regenerate one part." },
  { title: "Check it like a teacher would",
    text: "A music-theory check that knows the style: common-practice voice leading for a "
      + "chorale, approach notes and blue notes for jazz and blues." },
  { title: "Write together, share a link",
    text: "Edit live with your band, keep every version, export WAV, MP3, stems, MIDI and "
      + "MusicXML, or send a listen-only link to anyone." },
];

export function Landing() {
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <span className={styles.brand}>AriaForge</span>
        <nav aria-label="Account" className={styles.nav}>
          <Link href="/login/" data-testid="landing-sign-in">Sign in</Link>
          <Link href="/signup/" className={styles.cta}>Sign up</Link>
        </nav>
      </header>
      <main className={styles.main}>
        <section className={styles.hero} aria-labelledby="landing-title">
          <h1 id="landing-title" className={styles.title}>
            Sketch a song in words. Hear it, read it, make it yours.
          </h1>
          <p className={styles.lead}>
            AriaForge is an AI composition workspace for songwriters, media makers, students
            and bands: it writes an editable multi-track arrangement from a brief, then gets out
            of the way while you shape it.
          </p>
          <div className={styles.actions}>
            <Link href="/signup/" className={styles.cta} data-testid="landing-sign-up">
              Create a free account
            </Link>
            <Link href="/login/" className={styles.secondary}>I have an account</Link>
          </div>
          <p className={styles.note}>
            New accounts can start with a demo song to explore.
          </p>
        </section>
        <section aria-labelledby="landing-features">
          <h2 id="landing-features" className="sr-only">What you can do</h2>
          <ul className={styles.features}>
            {FEATURES.map((feature) => (
              <li key={feature.title} className={styles.feature}>
                <h3>{feature.title}</h3>
                <p>{feature.text}</p>
              </li>
            ))}
          </ul>
        </section>
        <section className={styles.offline} aria-labelledby="landing-offline">
          <h2 id="landing-offline">Yours, on your own machine</h2>
          <p>
            AriaForge runs offline on a laptop with one command (<code>ariaforge up</code>), or
            on your own servers for a team. No cloud account, no API key: the composer, the
            synthesizer and the database all run where you run it, and your music stays there.
          </p>
        </section>
      </main>
      <footer className={styles.footer}>
        <p>AriaForge — open, self-hostable AI music composition.</p>
      </footer>
    </div>
  );
}
