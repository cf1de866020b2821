"""Briefs in French, German, Spanish, Italian and Portuguese read like their English
equivalents: style, key, tempo, meter, bars and instruments, with keys in fixed-do ("ré
mineur") and German ("d-Moll", "B-Dur" is B flat, "H-Dur" is B) names."""

from __future__ import annotations

import pytest

from ariaforge.composer.brief import Brief, parse_brief

DRUMS = -1  # stands for a drum kit among the expected programs

# (brief, style, key, tempo or None, meter, bars or None, GM programs that must play)
FRENCH = [
    ("une valse en ré mineur, 16 mesures, violoncelle",
     "waltz", "D minor", None, "3/4", 16, {42}),
    ("une marche en si bémol majeur pour trompette et cordes, 32 mesures",
     "march", "Bb major", None, "2/4", 32, {56, 48}),
    ("une berceuse douce en fa majeur pour harpe, 60 pulsations par minute",
     "lullaby", "F major", 60, "3/4", None, {46}),
    ("un nocturne pour piano seul en do dièse mineur, vingt-quatre mesures",
     "nocturne", "C# minor", None, "4/4", 24, {0}),
    ("du jazz en mi bémol à 120 bpm, avec contrebasse et batterie",
     "jazz", "Eb major", 120, "4/4", None, {32, DRUMS}),
    ("une chanson triste en la mineur pour guitare et voix, 3/4",
     "pop", "A minor", None, "3/4", None, {53}),
    ("musique classique en sol majeur pour quatuor à cordes, à trois temps, 48 mesures",
     "classical", "G major", None, "3/4", 48, {40, 41, 42}),
    ("un tango en ré mineur pour accordéon, violon et contrebasse",
     "tango", "D minor", None, "4/4", None, {21, 40, 32}),
    ("un choral en fa majeur pour chœur et orgue, seize mesures",
     "chorale", "F major", None, "4/4", 16, {52}),
]
GERMAN = [
    ("Ein Walzer in d-Moll für Klavier, 24 Takte", "waltz", "D minor", None, "3/4", 24, {0}),
    ("eine Ballade in H-Dur", "ballad", "B major", None, "4/4", None, set()),
    ("ein Marsch in B-Dur für Trompete und Posaune, 32 Takte",
     "march", "Bb major", None, "2/4", 32, {56, 57}),
    ("ein Wiegenlied in Es-Dur für Harfe und Flöte, 70 Schläge pro Minute",
     "lullaby", "Eb major", 70, "3/4", None, {46, 73}),
    ("Jazz in fis-Moll, 140 bpm, mit Kontrabass und Schlagzeug",
     "jazz", "F# minor", 140, "4/4", None, {32, DRUMS}),
    ("ein trauriges Lied in a-Moll im Sechsachteltakt für Cello, sechzehn Takte",
     "pop", "A minor", None, "6/8", 16, {42}),
    ("klassische Musik in G-Dur für Streichquartett, zweiunddreißig Takte",
     "classical", "G major", None, "4/4", 32, {40, 41, 42}),
    ("Rock in e-Moll mit E-Gitarre, Bass und Schlagzeug, 100 bpm",
     "rock", "E minor", 100, "4/4", None, {33, DRUMS}),
    ("ein Choral in As-Dur für Chor und Orgel, im Dreivierteltakt",
     "chorale", "Ab major", None, "3/4", None, {52}),
]
SPANISH = [
    ("un vals en re menor para violonchelo, 16 compases",
     "waltz", "D minor", None, "3/4", 16, {42}),
    ("una marcha en do mayor para trompeta y trombón, treinta y dos compases",
     "march", "C major", None, "2/4", 32, {56, 57}),
    ("una canción de cuna en fa mayor para arpa, 60 pulsaciones por minuto",
     "lullaby", "F major", 60, "3/4", None, {46}),
    ("un tango en la menor para acordeón, violín y contrabajo",
     "tango", "A minor", None, "4/4", None, {21, 40, 32}),
    ("jazz en si bemol mayor a 120 bpm con contrabajo y batería",
     "jazz", "Bb major", 120, "4/4", None, {32, DRUMS}),
    ("una samba en sol mayor con flauta y batería, 64 compases",
     "samba", "G major", None, "2/4", 64, {73, DRUMS}),
    ("música clásica en mi menor para cuarteto de cuerdas, compás de 3/4",
     "classical", "E minor", None, "3/4", None, {40, 41, 42}),
    ("un nocturno para piano solo en do sostenido menor, veinticuatro compases",
     "nocturne", "C# minor", None, "4/4", 24, {0}),
    ("rock en mi menor, tres por cuatro, con bajo y batería",
     "rock", "E minor", None, "3/4", None, {33, DRUMS}),
]
ITALIAN = [
    ("un valzer in re minore per violoncello, 16 battute",
     "waltz", "D minor", None, "3/4", 16, {42}),
    ("una marcia in si bemolle maggiore per tromba e archi, trentadue battute",
     "march", "Bb major", None, "2/4", 32, {56, 48}),
    ("una ninna nanna in fa maggiore per arpa e flauto",
     "lullaby", "F major", None, "3/4", None, {46, 73}),
    ("un notturno per pianoforte in do diesis minore, ventiquattro battute",
     "nocturne", "C# minor", None, "4/4", 24, {0}),
    ("jazz in mi bemolle maggiore, 120 battiti al minuto, con contrabbasso e batteria",
     "jazz", "Eb major", 120, "4/4", None, {32, DRUMS}),
    ("un tango in la minore per fisarmonica, violino e contrabbasso",
     "tango", "A minor", None, "4/4", None, {21, 40, 32}),
    ("musica classica in sol maggiore per quartetto d'archi, tre quarti",
     "classical", "G major", None, "3/4", None, {40, 41, 42}),
    ("una canzone triste in la minore per clarinetto, sei ottavi, 24 battute",
     "pop", "A minor", None, "6/8", 24, {71}),
    ("un corale in re maggiore per coro e organo",
     "chorale", "D major", None, "4/4", None, {52}),
]
PORTUGUESE = [
    ("uma valsa em ré menor para violoncelo, 16 compassos",
     "waltz", "D minor", None, "3/4", 16, {42}),
    ("uma marcha em dó maior para trompete e trombone, trinta e dois compassos",
     "march", "C major", None, "2/4", 32, {56, 57}),
    ("uma canção de ninar em fá maior para harpa",
     "lullaby", "F major", None, "3/4", None, {46}),
    ("um noturno para piano em dó sustenido menor, vinte e quatro compassos",
     "nocturne", "C# minor", None, "4/4", 24, {0}),
    ("jazz em si bemol maior a 120 bpm com contrabaixo e bateria",
     "jazz", "Bb major", 120, "4/4", None, {32, DRUMS}),
    ("um samba em sol maior com flauta e bateria",
     "samba", "G major", None, "2/4", None, {73, DRUMS}),
    ("música clássica em mi menor para quarteto de cordas, três por quatro",
     "classical", "E minor", None, "3/4", None, {40, 41, 42}),
    ("uma bossa nova em lá menor com violão e flauta, 90 batidas por minuto",
     "bossa-nova", "A minor", 90, "4/4", None, {24, 73}),
    ("rock em mi menor com baixo e bateria, sessenta e quatro compassos",
     "rock", "E minor", None, "4/4", 64, {33, DRUMS}),
]
TABLE = [pytest.param(*row, id=f"{lang}-{i}") for lang, rows in (
    ("fr", FRENCH), ("de", GERMAN), ("es", SPANISH), ("it", ITALIAN), ("pt", PORTUGUESE))
    for i, row in enumerate(rows)]


def programs(brief: Brief) -> set[int]:
    return {DRUMS if i.is_drum else i.program for i in brief.instruments}


@pytest.mark.parametrize(("text", "style", "key", "tempo", "meter", "bars", "plays"), TABLE)
def test_a_brief_in_another_language(text, style, key, tempo, meter, bars, plays):
    brief = parse_brief(text)
    assert brief.style.value == style, text
    assert f"{brief.key.tonic} {brief.key.mode.value}" == key, text
    assert str(brief.meter) == meter, text
    if tempo is not None:
        assert brief.tempo == tempo, text
    if bars is not None:
        assert brief.bars == bars, text
    assert plays <= programs(brief), (text, programs(brief))
    assert not [w for w in brief.warnings if w.startswith("could not read")], text


@pytest.mark.parametrize(("slow", "plain", "fast"), [
    ("une valse lente", "une valse", "une valse rapide"),
    ("ein langsamer Walzer", "ein Walzer", "ein schneller Walzer"),
    ("un vals despacio", "un vals", "un vals rápido"),
    ("un valzer lento", "un valzer", "un valzer veloce"),
    ("uma valsa lenta", "uma valsa", "uma valsa rápida"),
])
def test_tempo_words(slow, plain, fast):
    tempi = [parse_brief(text).tempo for text in (slow, plain, fast)]
    assert tempi[0] < tempi[1] < tempi[2], tempi


@pytest.mark.parametrize(("text", "key"), [
    ("eine Ballade in H-Dur", "B major"), ("in B-Dur", "Bb major"), ("in b-Moll", "Bb minor"),
    ("in h-Moll", "B minor"), ("Fis-Dur", "F# major"), ("in es-Moll", "Eb minor"),
    ("Des-Dur", "Db major"), ("cis-Moll", "C# minor"), ("gis moll", "G# minor"),
    ("ré mineur", "D minor"), ("re mineur", "D minor"), ("la majeur", "A major"),
    ("mi bémol majeur", "Eb major"), ("fa dièse mineur", "F# minor"),
    ("sol menor", "G minor"), ("si bemolle maggiore", "Bb major"),
    ("fá sustenido menor", "F# minor"), ("en ré", "D major"), ("in sol", "G major"),
    ("ré dorien", "D dorian"), ("a dorisch", "A dorian"),
    # in a German brief a bare B is B flat and H is B; in English B stays B
    ("ein Walzer in B für Klavier", "Bb major"), ("ein Walzer in H", "B major"),
    ("Jazz in Es mit Kontrabass", "Eb major"), ("a waltz in B for piano", "B major"),
])
def test_key_names(text, key):
    brief = parse_brief(text)
    assert f"{brief.key.tonic} {brief.key.mode.value}" == key


@pytest.mark.parametrize(("text", "not_tonic"), [
    ("en la playa, una canción", "A"), ("a song in la", "A"), ("mi canción favorita", "E"),
    ("en mi casa", "E"), ("a Dur-like riff", "A"), ("as durable as rock", "Ab"),
])
def test_words_that_only_look_like_keys(text, not_tonic):
    brief = parse_brief(text)
    assert brief.key.tonic != not_tonic
    assert "key" not in brief.understood


@pytest.mark.parametrize(("text", "bars"), [
    ("seize mesures", 16), ("vingt-quatre mesures", 24), ("soixante-quatre mesures", 64),
    ("sechzehn Takte", 16), ("vierundsechzig Takte", 64), ("zweiunddreißig Takte", 32),
    ("dieciséis compases", 16), ("cuarenta y ocho compases", 48),
    ("sedici battute", 16), ("ventotto battute", 28), ("trentadue battute", 32),
    ("dezesseis compassos", 16), ("trinta e dois compassos", 32), ("12 Takte", 12),
])
def test_bar_counts(text, bars):
    assert parse_brief(text).bars == bars


def test_an_article_is_not_a_bar_count():
    brief = parse_brief("un vals, un compás de 3/4")
    assert str(brief.meter) == "3/4"
    assert "bars" not in brief.understood


@pytest.mark.parametrize(("text", "length"), [
    ("deux minutes de jazz, 120 bpm", 120), ("zwei Minuten Jazz, 120 bpm", 120),
    ("dos minutos de jazz, 120 bpm", 120), ("due minuti di jazz, 120 bpm", 120),
    ("dois minutos de jazz, 120 bpm", 120), ("une minute et demie de jazz, 120 bpm", 90),
    ("jazz, 120 bpm, noventa segundos", 90),
])
def test_durations(text, length):
    brief = parse_brief(text)
    assert brief.bars * 4 * 60 / brief.tempo == pytest.approx(length, abs=4)


@pytest.mark.parametrize(("text", "meter"), [
    ("im Dreivierteltakt", "3/4"), ("im Sechsachteltakt", "6/8"), ("Zweivierteltakt", "2/4"),
    ("tre quarti", "3/4"), ("sei ottavi", "6/8"), ("seis por ocho", "6/8"),
    ("três por quatro", "3/4"), ("à trois-quatre", "3/4"), ("en six-huit", "6/8"),
    ("à trois temps", "3/4"), ("compás de 5/4", "5/4"), ("im 7/8-Takt", "7/8"),
])
def test_meters(text, meter):
    assert str(parse_brief(text).meter) == meter


@pytest.mark.parametrize("text", [
    "du jazz sans batterie", "Jazz ohne Schlagzeug", "jazz sin batería",
    "jazz senza batteria", "jazz sem bateria", "jazz, pas de batterie",
])
def test_without(text):
    brief = parse_brief(text)
    assert brief.instruments and not any(i.is_drum for i in brief.instruments)


@pytest.mark.parametrize("text", [
    "du jazz avec des cordes", "Jazz mit Streichern", "jazz con cuerdas",
    "jazz con archi", "jazz com cordas",
])
def test_with_adds_to_the_styles_band(text):
    """"with strings" adds strings to the jazz band, as in English."""
    brief = parse_brief(text)
    programs_ = {i.program for i in brief.instruments}
    assert 48 in programs_ and any(i.is_drum for i in brief.instruments), programs_


@pytest.mark.parametrize(("text", "mood"), [
    ("une chanson triste", "melancholic"), ("ein trauriges Lied", "melancholic"),
    ("una canción alegre", "happy"), ("un brano calmo", "calm"),
    ("uma música sombria", "dark"), ("un thème épique", "epic"), ("ruhig", "calm"),
    ("une chanson d'amour", "romantic"),
])
def test_moods(text, mood):
    assert parse_brief(text).mood.value == mood


@pytest.mark.parametrize(("text", "program"), [
    ("pour l'orgue", 16), ("für Kontrabass", 32), ("Flöte", 73), ("flute", 73),
    ("Geige", 40), ("violín", 40), ("chitarra classica", 24), ("Klarinette", 71),
    ("hautbois", 68), ("fagotto", 70), ("saxophone", 65), ("Posaune", 57), ("harpe", 46),
    ("clavecin", 6), ("accordéon", 21), ("violão", 24), ("Bratsche", 41),
])
def test_instrument_words(text, program):
    assert program in {i.program for i in parse_brief(text).instruments}


def test_accents_may_be_left_out():
    written = parse_brief("une valse en ré mineur pour flûte, 16 mesures")
    typed = parse_brief("une valse en re mineur pour flute, 16 mesures")
    assert written.model_dump(exclude={"seed", "understood"}) == typed.model_dump(
        exclude={"seed", "understood"})


@pytest.mark.parametrize("text", [
    "Jazz ohne Schlagzeug und Bass", "jazz sin batería ni bajo", "jazz senza batteria e basso",
    "du jazz sans batterie ni basse", "jazz sem bateria e baixo",
])
def test_without_carries_over_a_list(text):
    brief = parse_brief(text)
    assert brief.instruments
    assert not any(i.is_drum or i.program in range(32, 40) for i in brief.instruments)
