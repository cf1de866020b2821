"""The arrangement brief set: 72 briefs, two or more for each of the 35 styles, half naming
their own ensemble (the textures new users asked for: a solo piano waltz, a jazz trio, a
hymn for organ, a brass band, a power trio) and half leaving the band to the style.

Each brief carries what it asks for, written out by hand so the bench does not trust the
parser it measures: the style, the key (None: the style's own), the metre (None: the
style's), the bars, and the instrument phrases it names (empty: the style's band)."""

from __future__ import annotations

from dataclasses import dataclass

BARS = 16
SEEDS = (0, 1)


@dataclass(frozen=True)
class Brief:
    style: str
    text: str
    key: tuple[str, str] | None = None  # (tonic, mode)
    meter: tuple[int, int] | None = None
    named: tuple[str, ...] = ()  # instrument phrases as the text names them


def _b(style: str, text: str, key: str | None = None, meter: str | None = None,
       named: str = "") -> Brief:
    tonic_mode = tuple(key.split()) if key else None
    figures = tuple(int(part) for part in meter.split("/")) if meter else None
    return Brief(style, text, tonic_mode,  # type: ignore[arg-type]
                 figures,  # type: ignore[arg-type]
                 tuple(name.strip() for name in named.split(",") if name.strip()))


BRIEFS: tuple[Brief, ...] = (
    _b("pop", "a happy pop song in C major", "C major"),
    _b("pop", "a pop song in E minor with drums, bass and electric guitar", "E minor",
       named="drums, bass, electric guitar"),
    _b("rock", "an energetic rock song in E minor", "E minor"),
    _b("rock", "a rock song in A major for electric guitar, bass and drums", "A major",
       named="electric guitar, bass, drums"),
    _b("metal", "a heavy metal song in E minor", "E minor"),
    _b("metal", "a dark metal track in D minor for distorted guitar, bass and drums",
       "D minor", named="distorted guitar, bass, drums"),
    _b("jazz", "a jazz tune in F major", "F major"),
    _b("jazz", "a melancholic jazz waltz in D minor for piano, bass and drums", "D minor",
       "3/4", named="piano, bass, drums"),
    _b("swing", "a swing tune in Bb major", "Bb major"),
    _b("swing", "a swing tune in C major for big band", "C major", named="big band"),
    _b("blues", "a blues in A major", "A major"),
    _b("blues", "a slow blues in E major for piano", "E major", named="piano"),
    _b("bossa-nova", "a bossa nova in D minor", "D minor"),
    _b("bossa-nova", "a bossa nova in F major for nylon guitar and flute", "F major",
       named="nylon guitar, flute"),
    _b("samba", "a happy samba in C major", "C major"),
    _b("samba", "a samba in G major for nylon guitar, flute, bass and drums", "G major",
       named="nylon guitar, flute, bass, drums"),
    _b("folk", "a folk song in G major", "G major"),
    _b("folk", "a sad folk song in B minor for acoustic guitar and violin", "B minor",
       named="acoustic guitar, violin"),
    _b("country", "a country song in G major", "G major"),
    _b("country", "a country song in D major for fiddle, acoustic guitar, bass and drums",
       "D major", named="fiddle, acoustic guitar, bass, drums"),
    _b("celtic", "a celtic tune in D major", "D major"),
    _b("celtic", "a celtic tune in E minor for tin whistle and harp", "E minor",
       named="tin whistle, harp"),
    _b("reel", "a reel in D major", "D major"),
    _b("reel", "a reel in G major for fiddle and guitar", "G major", named="fiddle, guitar"),
    _b("jig", "a jig in E minor", "E minor", "6/8"),
    _b("jig", "a playful jig in A major for flute and acoustic guitar", "A major", "6/8",
       named="flute, acoustic guitar"),
    _b("waltz", "a melancholic waltz in D minor", "D minor", "3/4"),
    _b("waltz", "a solo piano waltz in A major", "A major", "3/4", named="piano"),
    _b("march", "a march in Bb major", "Bb major"),
    _b("march", "a march in F major for brass band", "F major", named="brass band"),
    _b("chorale", "a chorale in G major", "G major"),
    _b("chorale", "a four-part chorale in D minor for satb choir", "D minor", named="satb"),
    _b("chorale", "a hymn in F major for organ", "F major", named="organ"),
    _b("carol", "a christmas carol in G major", "G major"),
    _b("carol", "a carol in D major for choir and organ", "D major", named="choir, organ"),
    _b("classical", "a classical piece in C minor", "C minor"),
    _b("classical", "a classical minuet in F major for harpsichord", "F major", "3/4",
       named="harpsichord"),
    _b("baroque", "a baroque piece in D major", "D major"),
    _b("baroque", "a baroque piece in A minor for harpsichord and strings", "A minor",
       named="harpsichord, strings"),
    _b("nocturne", "a slow nocturne in E minor", "E minor"),
    _b("nocturne", "a romantic nocturne in Db major for piano", "Db major", named="piano"),
    _b("ballad", "a ballad in Eb major", "Eb major"),
    _b("ballad", "a tender ballad in C major for piano and strings", "C major",
       named="piano, strings"),
    _b("lullaby", "a lullaby in F major", "F major"),
    _b("lullaby", "a lullaby in G major for harp", "G major", named="harp"),
    _b("cinematic", "an epic cinematic theme in D minor", "D minor"),
    _b("cinematic", "a cinematic theme in C minor for strings, french horn and timpani",
       "C minor", named="strings, french horn, timpani"),
    _b("ambient", "a calm ambient piece in D dorian", "D dorian"),
    _b("ambient", "an ambient piece in F lydian for piano and warm pad", "F lydian",
       named="piano, warm pad"),
    _b("lofi-hip-hop", "a lo-fi hip hop beat in F minor", "F minor"),
    _b("lofi-hip-hop", "a lo-fi beat in Eb major with electric piano and drums",
       "Eb major", named="electric piano, drums"),
    _b("hip-hop", "a boom bap hip hop beat in C minor", "C minor"),
    _b("hip-hop", "a hip hop beat in G minor for piano, bass and drums", "G minor",
       named="piano, bass, drums"),
    _b("trap", "a dark trap beat in F# minor", "F# minor"),
    _b("trap", "a trap beat in A minor with 808 and synth lead", "A minor",
       named="808, synth lead"),
    _b("funk", "a funky groove in E minor", "E minor"),
    _b("funk", "a funk tune in A minor for clavinet, slap bass and drums", "A minor",
       named="clavinet, slap bass, drums"),
    _b("reggae", "a reggae song in G major", "G major"),
    _b("reggae", "a reggae tune in A minor for organ, bass and drums", "A minor",
       named="organ, bass, drums"),
    _b("gospel", "a gospel song in Ab major", "Ab major"),
    _b("gospel", "a gospel song in F major for choir, piano, bass and drums", "F major",
       named="choir, piano, bass, drums"),
    _b("tango", "a dramatic tango in A minor", "A minor"),
    _b("tango", "a tango in D minor for accordion, violin, piano and double bass", "D minor",
       named="accordion, violin, piano, double bass"),
    _b("edm", "an EDM track in A minor", "A minor"),
    _b("edm", "an energetic EDM track in F minor for synth lead, synth pad, synth bass and "
       "drums", "F minor", named="synth lead, synth pad, synth bass, drums"),
    _b("house", "a house track in C minor", "C minor"),
    _b("house", "a deep house track in G minor for piano, synth bass and drums", "G minor",
       named="piano, synth bass, drums"),
    _b("synthwave", "a synthwave track in A minor", "A minor"),
    _b("synthwave", "a synthwave track in E minor for saw lead, polysynth, synth bass and "
       "drums", "E minor", named="saw lead, polysynth, synth bass, drums"),
    _b("chiptune", "a playful chiptune in C major", "C major"),
    _b("chiptune", "a chiptune in A minor for square lead, synth bass and drums", "A minor",
       named="square lead, synth bass, drums"),
    _b("ballad", "a power ballad in D major for piano, electric guitar, organ, bass and drums",
       "D major", named="piano, electric guitar, organ, bass, drums"),
)
