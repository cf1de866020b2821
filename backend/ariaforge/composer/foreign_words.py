"""Words of briefs written in French, German, Spanish, Italian and Portuguese, each mapped
to the English phrase of `vocabulary` or `instruments` that means the same ("violoncelle"
-> "cello"). Keys, numbers and bar counts in those languages are read in `brief.keys` and
`brief.numbers`.

The brief reader folds accents before it looks words up ("ré" is read as "re", "Flöte" as
"flote"), so the keys of `FOREIGN_PHRASES` are folded the same way by `fold_letters`. A
phrase has one meaning in every language, so a word that is also English keeps its English
meaning: "piano" and "saxophone" are listed (they mean the same), French "sombre" (dark) is
not, for English "sombre" is melancholic; "allegro" stays a tempo mark, not a mood."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Final

__all__ = ["FOREIGN_PHRASES", "fold_letters"]

# Letters with no decomposition into a base letter and an accent; one letter each, so a
# folded text keeps its length and positions ("ß" -> "s": "mäßig" is read as "masig").
_SINGLE: Final = {"ß": "s", "œ": "o", "æ": "a", "ø": "o", "ł": "l", "đ": "d",
                  "\u0131": "i"}  # the dotless i


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch in _SINGLE:
        return _SINGLE[ch]
    base = unicodedata.normalize("NFKD", ch)[0]
    return base if base.isascii() and base.isalnum() else ch


def fold_letters(text: str) -> str:
    """`text` with each accented Latin letter replaced by its base letter, one character
    for one: "ré mineur" -> "re mineur". Other scripts are left as they are."""
    return "".join(_fold_char(ch) for ch in text)


# English phrase -> the words of the other languages that mean it.
_BY_MEANING: Final[Mapping[str, tuple[str, ...]]] = {
    # styles
    "waltz": ("valse", "walzer", "vals", "valzer", "valsa", "valses", "valsas"),
    "march": ("marche", "marsch", "marcha", "marcia", "marche militaire", "militärmarsch"),
    "lullaby": ("berceuse", "wiegenlied", "schlaflied", "canción de cuna", "canción de nana",
                "ninna nanna", "ninnananna", "ninna-nanna", "canção de ninar",
                "cantiga de ninar", "canção de embalar"),
    "nocturne": ("nocturno", "notturno", "noturno"),
    "classical": ("classique", "musique classique", "klassisch", "klassische", "klassik",
                  "klassische musik", "clásica", "clásico", "música clásica", "classica",
                  "classico", "musica classica", "clássica", "clássico", "música clássica"),
    "baroque": ("barock", "barockmusik", "barroco", "barroca", "barocco", "barocca"),
    "folk": ("musique folk", "volksmusik", "volkslied", "folklore", "folclore",
             "música folk", "musica popolare", "música popular"),
    "ballad": ("ballade", "balada", "ballata"),
    "hymn": ("hymne", "cantique", "kirchenlied", "himno", "inno", "hino"),
    "chorale": ("choral", "corale"),
    "christmas carol": ("chant de noël", "noël", "weihnachtslied", "villancico",
                        "canto di natale", "canção de natal"),
    "jig": ("giga",),
    "minuet": ("menuet", "menuett", "minueto", "minuetto"),
    "sonata": ("sonate",),
    "film score": ("musique de film", "bande originale", "filmmusik", "banda sonora",
                   "colonna sonora", "trilha sonora"),
    "electronic": ("électronique", "musique électronique", "elektronisch",
                   "elektronische musik", "electrónica", "música electrónica", "elettronica",
                   "musica elettronica", "eletrônica", "eletrónica", "música eletrônica"),
    # moods
    "sad": ("triste", "tristes", "traurig", "traurige", "trauriger", "trauriges"),
    "melancholic": ("mélancolique", "melancholisch", "melancholische", "schwermütig",
                    "melancólico", "melancólica", "malinconico", "malinconica",
                    "melancolico", "melancolica"),
    "nostalgic": ("nostalgique", "nostalgisch", "nostálgico", "nostálgica", "nostalgico",
                  "nostalgica"),
    "joyful": ("joyeux", "joyeuse", "fröhlich", "fröhliche", "fröhlicher", "fröhliches",
               "alegre", "alegres", "gioioso", "gioiosa", "allegra"),
    "happy": ("heureux", "heureuse", "glücklich", "glückliche", "feliz", "felice"),
    "cheerful": ("gai", "gaie", "heiter", "heitere", "allegre"),
    "calm": ("calme", "ruhig", "ruhige", "ruhiger", "ruhiges", "calmo", "calma", "calmado"),
    "tranquil": ("tranquille", "tranquilo", "tranquila", "tranquillo", "tranquilla"),
    "peaceful": ("paisible", "friedlich", "friedliche", "pacífico", "pacífica", "pacifico",
                 "pacifica", "sereno", "serena", "serein", "sereine"),
    "dark": ("dunkel", "dunkle", "dunkler", "düster", "düstere", "oscuro", "oscura", "scuro",
             "scura", "sombrio", "sombria", "sombrío", "sombría", "obscur", "obscure"),
    "epic": ("épique", "episch", "epische", "épico", "épica", "epico", "epica"),
    "love song": ("chanson d'amour", "liebeslied", "canción de amor", "canzone d'amore",
                  "canção de amor"),
    "romantic": ("amour", "amor", "amore", "liebe", "romantique", "romantisch", "romantische",
                 "romántico", "romántica", "romantico", "romantica", "romântico", "romântica"),
    "mysterious": ("mystérieux", "mystérieuse", "geheimnisvoll", "geheimnisvolle",
                   "misterioso", "misteriosa"),
    "dreamy": ("rêveur", "rêveuse", "verträumt", "verträumte", "soñador", "soñadora",
               "sognante", "sonhador", "sonhadora"),
    "energetic": ("énergique", "energisch", "energische", "enérgico", "enérgica",
                  "energico", "energica", "energético", "energética"),
    "playful": ("espiègle", "verspielt", "verspielte", "juguetón", "juguetona", "giocoso",
                "giocosa", "brincalhão"),
    "gentle": ("doux", "douce", "sanft", "sanfte", "dolce", "suave", "suaves"),
    "tender": ("tendre", "zärtlich", "tierno", "tierna", "tenero", "tenera", "terno", "terna"),
    "heroic": ("héroïque", "heldenhaft", "heroico", "heroica", "eroico", "eroica"),
    "majestic": ("majestueux", "majestueuse", "majestätisch", "majestuoso", "majestuosa",
                 "maestoso", "maestosa", "majestoso", "majestosa"),
    "lonely": ("solitaire", "einsam", "solitario", "solitaria", "solitário", "solitária"),
    # tempo
    "slow": ("lent", "lente", "lentement", "lenta", "lentas", "lenti", "lentos", "langsam",
             "langsame", "langsamer", "langsames", "despacio", "pausado", "devagar"),
    "very slow": ("très lent", "très lente", "sehr langsam", "muy lento", "muy lenta",
                  "molto lento", "molto lenta", "muito lento", "muito lenta"),
    "fast": ("rapide", "vite", "schnell", "schnelle", "schneller", "schnelles", "rápido",
             "rápida", "rapido", "rapida", "veloce", "veloz", "velozes"),
    "very fast": ("très rapide", "très vite", "sehr schnell", "muy rápido", "muy rápida",
                  "molto veloce", "molto rapido", "muito rápido", "muito rápida"),
    "moderate": ("modéré", "modérée", "mäßig", "massig", "gemäßigt", "gemässigt", "moderado",
                 "moderada"),
    "lively": ("animé", "animée", "lebhaft", "lebhafte", "animado", "animada", "animato",
               "vivo", "vivaz"),
    "upbeat": ("mäßig schnell", "massig schnell", "entraînant", "entraînante", "mitreißend",
               "movido", "movida"),
    "relaxed": ("mäßig langsam", "massig langsam", "détendu", "détendue", "entspannt",
                "entspannte", "relajado", "relajada", "rilassato", "rilassata",
                "relaxado", "relaxada"),
    # energy and feel
    "soft": ("leise", "sachte"),
    "loud": ("laut", "forte", "fuerte"),
    "heavy": ("lourd", "lourde", "schwer", "pesado", "pesada", "pesante"),
    "swung": ("swingué", "swingend", "swingado"),
    "simple": ("facile", "einfach", "einfache", "sencillo", "sencilla", "semplice",
               "fácil", "simples"),
    "for beginners": ("pour débutants", "für anfänger", "para principiantes",
                      "per principianti", "para iniciantes"),
    # modes
    "minor": ("mineur", "moll", "menor", "minore"),
    "major": ("majeur", "maggiore", "maior"),
    "dorian": ("dorien", "dorienne", "dorisch", "dórico", "dorico"),
    "phrygian": ("phrygien", "phrygisch", "frigio", "frígio"),
    "lydian": ("lydien", "lydisch", "lidio", "lídio"),
    "mixolydian": ("mixolydien", "mixolydisch", "mixolidio", "mixolídio"),
    "aeolian": ("éolien", "äolisch", "eólico", "eolio", "eólio"),
    "ionian": ("ionien", "ionisch", "jónico", "ionico", "jônico"),
    "locrian": ("locrien", "lokrisch", "locrio", "lócrio"),
    # meters
    "triple time": ("trois temps", "à trois temps", "dreivierteltakt", "tres tiempos",
                    "tre tempi", "três tempos", "ternario", "ternária"),
    "common time": ("quatre temps", "viervierteltakt", "cuatro tiempos", "quattro tempi",
                    "quatro tempos"),
    "duple time": ("deux temps", "zweivierteltakt", "dos tiempos", "due tempi",
                   "dois tempos", "binario", "binária"),
    # solo
    "alone": ("seul", "seule", "allein", "solamente", "soltanto", "sozinho", "sozinha"),
    "unaccompanied": ("sans accompagnement", "ohne begleitung", "sin acompañamiento",
                      "senza accompagnamento", "sem acompanhamento"),
    # sections
    "introduction": ("introducción", "introduzione", "introdução", "einleitung"),
    "chorus": ("refrão", "estribillo", "ritornello"),
    "verse": ("couplet", "strophe", "estrofa", "strofa"),
    # instruments
    "cello": ("violoncelle", "violoncello", "violoncelli", "celli", "violonchelo",
              "violonchelos", "violoncelo", "violoncelos", "chelo"),
    "violin": ("violon", "geige", "geigen", "violine", "violinen", "violín", "violines",
               "violino", "violini"),
    "viola": ("bratsche", "bratschen", "viole", "violas"),
    "piano": ("klavierstück", "klavierstücke", "klaviermusik", "klavier", "flügel",
              "pianoforte", "piano à queue"),
    "guitar": ("guitare", "gitarre", "gitarren", "guitarra", "guitarras", "chitarra",
               "chitarre"),
    "electric guitar": ("guitare électrique", "e-gitarre", "elektrische gitarre",
                        "guitarra eléctrica", "chitarra elettrica", "guitarra elétrica"),
    "acoustic guitar": ("guitare acoustique", "akustikgitarre", "akustische gitarre",
                        "guitarra acústica", "chitarra acustica"),
    "classical guitar": ("guitare classique", "konzertgitarre", "guitarra clásica",
                         "chitarra classica", "guitarra clássica", "violão"),
    "flute": ("flûte", "flöte", "flöten", "querflöte", "flauta", "flautas", "flauto",
              "flauti", "flûte traversière"),
    "recorder": ("flûte à bec", "blockflöte", "flauta dulce", "flauto dolce", "flauta doce"),
    "double bass": ("contrebasse", "kontrabass", "contrabajo", "contrabbasso", "contrabaixo"),
    "bass": ("basse", "bajo", "basso", "baixo"),
    "electric bass": ("basse électrique", "e-bass", "bajo eléctrico", "basso elettrico",
                      "baixo elétrico"),
    "drums": ("batterie", "schlagzeug", "batería", "batteria", "bateria"),
    "percussion": ("percussions", "perkussion", "schlagwerk", "percusión", "percussioni",
                   "percussão"),
    "trumpet": ("trompette", "trompetten", "trompete", "trompeten", "trompeta", "trompetas",
                "tromba", "trombe"),
    "trombone": ("posaune", "posaunen", "trombón", "tromboni"),
    "french horn": ("cor", "cor d'harmonie", "waldhorn", "trompa", "corno"),
    "horn": ("hörner",),
    "organ": ("orgue", "orgel", "órgano", "organo", "órgão"),
    "church organ": ("orgue d'église", "grand orgue", "kirchenorgel", "órgano de iglesia",
                     "organo a canne", "órgão de tubos"),
    "choir": ("chœur", "choeur", "chor", "coro", "chorale d'enfants"),
    "strings": ("cordes", "streicher", "streichern", "streichorchester", "cuerdas", "archi",
                "cordas"),
    "string quartet": ("quatuor à cordes", "streichquartett", "cuarteto de cuerda",
                       "cuarteto de cuerdas", "quartetto d'archi", "quarteto de cordas"),
    "harp": ("harpe", "harfe", "arpa", "harpa"),
    "harpsichord": ("clavecin", "cembalo", "clavicémbalo", "clavicembalo", "cravo"),
    "clarinet": ("clarinette", "klarinette", "klarinetten", "clarinete", "clarinetes",
                 "clarinetto"),
    "saxophone": ("saxophon", "saxofón", "saxofone", "sassofono", "saxo"),
    "oboe": ("hautbois", "oboen", "oboé", "oboi"),
    "bassoon": ("basson", "fagott", "fagot", "fagotto", "fagote"),
    "voice": ("voix", "stimme", "gesang", "voz", "voce", "chant", "canto"),
    "accordion": ("accordéon", "akkordeon", "acordeón", "fisarmonica", "acordeão",
                  "sanfona"),
    "harmonica": ("mundharmonika", "armónica", "armonica", "gaita de boca"),
    "timpani": ("timbales", "pauken", "pauke", "timbal", "timbales sinfónicos"),
    "bagpipes": ("cornemuse", "dudelsack", "gaita", "cornamusa", "gaita de foles"),
    "synth": ("synthé", "synthétiseur", "synthesizer", "sintetizador", "sintetizzatore"),
    "electric piano": ("piano électrique", "e-piano", "piano eléctrico", "piano elettrico",
                       "piano elétrico"),
    "orchestra": ("orchestre", "orchester", "orquesta", "orquestra"),
    "brass": ("cuivres", "blechbläser", "metales", "ottoni", "metais"),
    "bells": ("cloches", "glocken", "campanas", "campane", "sinos"),
    "xylophone": ("xylophon", "xilófono", "xilofono", "xilofone"),
    "glockenspiel": ("carillon",),
    "music box": ("boîte à musique", "spieluhr", "caja de música", "carillon musicale",
                  "caixa de música"),
    "tuba": ("tubas",),
    "piccolo": ("ottavino", "flautín", "flautim", "petite flûte"),
}

FOREIGN_PHRASES: Final[Mapping[str, str]] = {
    fold_letters(word): english for english, words in _BY_MEANING.items() for word in words}
