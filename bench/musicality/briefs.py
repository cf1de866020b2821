"""The brief set: 88 briefs over all 35 styles (1-5 each), major, minor and modal keys,
2/4, 3/4, 4/4, 6/8 and 12/8, each for the same 4-track band so comping is always a
chordal keyboard part. Composed at 32 bars with seeds 0 and 1."""

from __future__ import annotations

BAND = "for piano, electric piano, bass and drums"
BARS = 32
SEEDS = (0, 1)

_BRIEFS: tuple[tuple[str, str], ...] = (
    ("pop", "a happy pop song in C major"), ("pop", "a dreamy pop song in Ab major"),
    ("ballad", "a melancholic pop ballad in F# minor"), ("pop", "a pop song in E major in 3/4"),
    ("rock", "an energetic rock song in E minor"), ("rock", "a dark rock song in C# minor"),
    ("rock", "a rock anthem in D major"), ("rock", "a rock song in A mixolydian"),
    ("jazz", "a jazz tune in F"), ("jazz", "a jazz ballad in Eb"),
    ("jazz", "a modal jazz tune in D dorian"), ("jazz", "a jazz waltz in Bb"),
    ("swing", "a swing tune in Bb"), ("swing", "a swing tune in G minor"),
    ("swing", "an energetic swing tune in C"),
    ("blues", "a slow blues in A"), ("blues", "a blues in E"),
    ("blues", "a minor blues in C minor"),
    ("bossa-nova", "a bossa nova in D minor"), ("bossa-nova", "a bossa nova in F"),
    ("bossa-nova", "a calm bossa nova in G major"),
    ("folk", "a folk song in G"), ("folk", "a sad folk song in B minor"),
    ("folk", "a folk song in D mixolydian"), ("folk", "a folk song in A dorian"),
    ("reel", "a reel in D"), ("reel", "a reel in G"), ("reel", "a reel in A dorian"),
    ("jig", "a jig in E minor"), ("jig", "a playful jig in A"), ("jig", "a jig in G"),
    ("waltz", "a melancholic waltz in D minor"), ("waltz", "a romantic waltz in A major"),
    ("waltz", "a waltz in F"),
    ("march", "a march in Bb"), ("march", "a march in F"), ("march", "a march in C in 2/4"),
    ("chorale", "a chorale in G"), ("chorale", "a chorale in D minor"),
    ("chorale", "a chorale in Bb"), ("chorale", "a calm chorale in E minor"),
    ("classical", "a classical piece in C minor"),
    ("classical", "an epic classical theme in D minor"),
    ("classical", "a classical piece in G major"),
    ("classical", "a classical minuet in F in 3/4"),
    ("ambient", "a calm ambient piece in D dorian"),
    ("ambient", "an ambient piece in E mixolydian"),
    ("ambient", "a dreamy ambient piece in F lydian"),
    ("ambient", "a dark ambient piece in E phrygian"),
    ("lofi-hip-hop", "lo-fi hip hop in F minor"), ("lofi-hip-hop", "lo-fi in Eb"),
    ("lofi-hip-hop", "a calm lo-fi hip hop beat in A minor"),
    ("edm", "an EDM track in A minor"), ("edm", "an EDM track in F# minor"),
    ("edm", "an epic EDM track in C major"),
    ("house", "house music in C minor"), ("house", "a happy house track in G major"),
    ("house", "deep house in D dorian"),
    ("folk", "a folk song in E minor in 6/8"), ("jig", "a slip jig in D in 9/8"),
    ("blues", "a shuffle blues in G in 12/8"), ("pop", "a pop song in D phrygian"),
    ("jazz", "an up-tempo jazz tune in C minor"),
    ("classical", "a romantic classical piece in Db major"),
    ("funk", "a funky groove in E minor"), ("funk", "a funk tune in A minor"),
    ("reggae", "a reggae song in G major"), ("reggae", "a reggae tune in A minor"),
    ("trap", "a dark trap beat in F# minor"), ("hip-hop", "a boom bap hip hop beat in C minor"),
    ("tango", "a dramatic tango in A minor"), ("tango", "a tango in D minor"),
    ("gospel", "a gospel song in Ab major"), ("country", "a country song in G major"),
    ("country", "a country song in D major"), ("samba", "a happy samba in C major"),
    ("metal", "a heavy metal song in E minor"), ("synthwave", "a synthwave track in A minor"),
    ("ballad", "a ballad in Eb major"), ("lullaby", "a lullaby in F major"),
    ("carol", "a christmas carol in G major"), ("cinematic", "an epic cinematic theme in D minor"),
    ("chiptune", "a playful chiptune in C major"), ("nocturne", "a slow nocturne in E minor"),
    ("baroque", "a baroque piece in D major"), ("baroque", "a baroque piece in A minor"),
    ("celtic", "a celtic tune in D major"), ("celtic", "a celtic tune in E dorian"),
)


def briefs() -> list[tuple[str, str]]:
    """(style the brief names, prompt) for every brief, the band appended."""
    return [(style, f"{text} {BAND}") for style, text in _BRIEFS]
