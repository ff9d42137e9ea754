"""What `gloss names` needs to know of an article's language: its stop words (from the stop-words package),
how common a word is (from wordfreq), the particles inside names, the words that make a title, an institution,
an event or a place, and whether nouns are capitalised (German) or only names are.

The word lists below are written per language for at least English, Spanish, French, German and Dutch; an
article in another language gets the English lists and its own stop words and frequencies where the packages
have them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that begin names often enough that a stop-word list must not strip them ("New York", "Great Fire").
_NAME_STARTERS = _words("new great general state home world first old royal north south east west united national "
                        "saint san santa mayor grand high supreme central upper lower free")


@dataclass(frozen=True)
class Language:
    code: str
    stop_words: frozenset[str]  # lower-case
    particles: frozenset[str]  # lower-case words that may join capitalised words of one name
    person_particles: frozenset[str]  # those that join the parts of a person's name (Johan van Veen)
    links: frozenset[str]  # those that join a word heading an institution, event or place to the rest (Council on)
    determiners: frozenset[str]  # German: words in front of a common noun, never in front of a person's name
    titles: frozenset[str]  # capitalised title words, stripped in front of a person's name
    institution: frozenset[str]
    event: frozenset[str]
    place: frozenset[str]
    event_after: frozenset[str]  # lower-case words that make a name before them an event ("Kerch Strait incident")
    generic_before: dict[str, str]  # lower-case generic words in front of a name → kind ("cathédrale" → place)
    generic_in_name: frozenset[str]  # those of them that are part of the name when particles join them (île de …)
    calendar: frozenset[str]  # capitalised month and day names
    nouns_capitalised: bool = False  # German: every noun starts with a capital
    head_first: bool = False  # Spanish, French: "Assemblée nationale", "Imperio otomano"

    def common(self, word: str) -> float:
        """wordfreq's Zipf frequency of the lower-cased word in this language (0 when unknown)."""
        return _zipf(word.lower(), self.code)

    def is_stop(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.stop_words and lower not in _NAME_STARTERS


@functools.lru_cache(maxsize=200_000)
def _zipf(word: str, code: str) -> float:
    import wordfreq

    try:
        return wordfreq.zipf_frequency(word, code)
    except LookupError:
        return wordfreq.zipf_frequency(word, "en")


def _stop_words(code: str) -> frozenset[str]:
    import stop_words

    try:
        return frozenset(stop_words.get_stop_words(code))
    except stop_words.StopWordError:
        return frozenset(stop_words.get_stop_words("en"))


# The stop-words package's English list (1,333 words) holds nouns such as "states" and "world"; these are the
# words that open English sentences and are no names.
_ENGLISH_STOP_WORDS = frozenset(w.lower() for w in ["A", "About", "According", "After", "Again", "Against", "Ahead", "All", "Also", "Although", "Among", "An", "And", "Another", "Any", "Apparently", "As", "At", "Back", "Because", "Before", "Being", "Both", "But", "By", "Can", "Could", "Despite", "Did", "Do", "Does", "During", "Each", "Early", "Either", "Even", "Every", "For", "From", "Further", "Given", "Had", "Has", "Have", "He", "Her", "Here", "His", "How", "However", "I", "If", "In", "Indeed", "Instead", "Is", "It", "Its", "Just", "Last", "Late", "Later", "Like", "Many", "Meanwhile", "More", "Moreover", "Most", "Mr", "Mrs", "Ms", "Dr", "Much", "My", "Neither", "Never", "Nevertheless", "No", "Nor", "Not", "Now", "Of", "On", "Once", "One", "Only", "Or", "Other", "Our", "Over", "Perhaps", "Previously", "Rather", "Several", "She", "Since", "So", "Some", "Still", "Such", "That", "The", "Their", "Them", "Then", "There", "These", "They", "This", "Those", "Though", "Thus", "To", "Today", "Under", "Unlike", "Until", "Upon", "We", "Were", "What", "When", "Where", "Whether", "Which", "While", "Who", "Why", "Will", "With", "Within", "Without", "Would", "Yet", "You", "Your", "See", "Yes", "Two", "Three", "Four", "Five", "Ten", "First", "Second", "Soon", "Almost", "Already", "Always", "Often", "Together", "Toward", "Towards", "Into", "Onto", "Out", "Up", "Down", "Off", "Through", "Across", "Behind", "Beyond"])

_SHARED_INSTITUTION = _words("UNESCO NATO")

_LISTS: dict[str, dict[str, str]] = {
    "en": {
        "person_particles": "de van von al bin ibn da di du la le del dos",
        "links": "of on for the",
        "determiners": "",
        "particles": "of the on for de del della der di du la le van von al bin ibn da dos das y",
        "titles": "Duke Duchess Earl Countess Baron Marquess President Vice Prime Minister Foreign Secretary Chancellor King Queen Prince Princess Sir Lord Lady "
                  "Mayor Governor Senator General Admiral Colonel Captain Commander Chief Deputy Ambassador Pope "
                  "Bishop Archbishop Cardinal Dr Mr Mrs Ms Professor Judge Justice Chairman Chairwoman Director "
                  "Emperor Empress Tsar Sultan Sheikh Premier Defense Defence Interior Finance National Security "
                  "Adviser Advisor Spokesman Spokeswoman Representative Rep Sen Gen Col Capt Lt Sergeant",
        "institution": "Agency Army Assembly Association Authority Bank Board Bureau Cabinet Center Centre Church "
                       "Club College Commission Committee Company Congress Corporation Council Court Department Duma "
                       "Embassy Federation Fleet Forces Foundation Front Fund Government Group Guard House Institute "
                       "Institution Kremlin League Ministry Monitor Movement Museum Navy News Office Organization "
                       "Organisation Parliament Party Police Post Press Senate Service Society Times Tribunal Union "
                       "Units University Nations State Brigade Corps Network Alliance Coalition Council Trust "
                       "Democrats Republicans Council School Academy Library Journal Gazette Herald Review",
        "event": "Accords Affair Agreement Battle Campaign Conference Crisis Election Elections Fire Forum "
                 "Incident Invasion Massacre Meeting Revolution Riots Siege Standoff Summit Talks Treaty Uprising "
                 "Visit War Wars Plague Flood Earthquake Olympics Games Age Ages Era Coup Strike Protests Disaster",
        "place": "Avenue Base Basin Bay Bridge Canal Cape Castle Cathedral City County Desert East Gate Gulf Hill "
                 "Island Islands Lake Lane Mountains Mount Ocean Oblast Palace Peninsula Province Region Republic "
                 "River Road Sea Square Strait Street Tower Valley Abbey Chapel Park Harbour Harbor Coast Airport "
                 "Station Wall Monument",
        "event_after": "incident summit crisis war affair massacre uprising riots accords treaty scandal revolution",
        "generic_before": "river:place city:place town:place island:place",
        "calendar": "January February March April May June July August September October November December Monday "
                    "Tuesday Wednesday Thursday Friday Saturday Sunday",
    },
    "es": {
        "person_particles": "de del la",
        "links": "de del la las los",
        "determiners": "",
        "particles": "de del la las los el y da do dos van von al bin",
        "titles": "Presidente Presidenta Ministro Ministra Canciller Rey Reina Príncipe Don Doña General Alcalde "
                  "Alcaldesa Senador Senadora Diputado Diputada Papa Obispo Señor Señora Sr Sra Dr Dra San Santa",
        "institution": "Ministerio Asamblea Congreso Senado Partido Consejo Comisión Banco Universidad Club Fundación "
                       "Instituto Gobierno Corte Tribunal Ejército Armada Agencia Organización Naciones Unión Liga "
                       "Sociedad Museo Cámara Iglesia Frente Movimiento Academia Biblioteca Diario Periódico",
        "event": "Guerra Batalla Revolución Tratado Cumbre Crisis Conferencia Acuerdo Acuerdos Masacre Golpe Sitio "
                 "Incendio Terremoto Elecciones",
        "place": "Calle Avenida Plaza Puente Río Mar Golfo Bahía Isla Islas Cordillera Sierra Monte Valle Lago "
                 "Oriente Occidente Catedral Palacio Puerto Provincia Región República Imperio Estrecho Desierto",
        "event_after": "",
        "generic_before": "río:place calle+:place plaza+:place barrio:place isla+:place ciudad:place catedral:place "
                          "iglesia:place guerra+:event batalla+:event",
        "calendar": "",
    },
    "fr": {
        "person_particles": "de du d la le",
        "links": "de du des la le l d",
        "determiners": "",
        "particles": "de du des la le les d l et van von al",
        "titles": "Président Présidente Ministre Roi Reine Prince Princesse Monsieur Madame Général Maire Sénateur "
                  "Pape Évêque Docteur Dr M Mme Saint Sainte",
        "institution": "Assemblée Sénat Conseil Ministère Parti Commission Banque Université Club Fondation Institut "
                       "Gouvernement Cour Tribunal Armée Agence Organisation Nations Union Ligue Société Musée "
                       "Académie Brigade Église Front Mouvement Bibliothèque Compagnie Office",
        "event": "Guerre Bataille Révolution Traité Sommet Crise Conférence Accord Accords Massacre Siège Incendie "
                 "Âge Commune Élections",
        "place": "Rue Avenue Boulevard Place Pont Fleuve Mer Golfe Baie Île Îles Mont Vallée Lac Orient Cathédrale "
                 "Palais Port Province Région République Empire Détroit Désert Tour Quai Cité",
        "event_after": "",
        "generic_before": "cathédrale:place église:place basilique:place île+:place rue+:place place+:place "
                          "pont+:place fleuve:place musée:institution guerre+:event bataille+:event",
        "calendar": "",
    },
    "de": {
        "person_particles": "von zu van de",
        "links": "der des für von",
        "determiners": "der die das dem den des ein eine einen einem einer eines sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer unser unsere jener jenes dieser diese diesem diesen",
        "particles": "von der des zu vom van de",
        "titles": "Präsident Präsidentin Bundeskanzler Bundeskanzlerin Kanzler Kanzlerin Minister Ministerin König "
                  "Königin Prinz Prinzessin Herr Frau General Bürgermeister Bürgermeisterin Papst Bischof Dr Offizier "
                  "Generalsekretär Staatschef Parteichef",
        "institution": "Ministerium Bundestag Bundesrat Partei Politbüro Zentralkomitee Kommission Bank Universität "
                       "Stiftung Institut Regierung Gericht Armee Agentur Organisation Verband Museum Akademie Kirche "
                       "Senat Rat Amt Bundesamt Behörde Zeitung",
        "event": "Krieg Schlacht Revolution Vertrag Gipfel Krise Konferenz Abkommen Aufstand Demonstration "
                 "Montagsdemonstration Wende Belagerung",
        "place": "Straße Strasse Platz Brücke Tor Fluss See Meer Bucht Insel Berg Gebirge Tal Dom Kirche Schloss "
                 "Palast Hafen Provinz Region Republik Reich Allee Damm Mauer Bahnhof",
        "event_after": "",
        "generic_before": "",
        "calendar": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember Montag "
                    "Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
        "nouns_capitalised": "1",
    },
    "nl": {
        "person_particles": "van de der den ter ten 't",
        "links": "van voor der",
        "determiners": "",
        "particles": "van de der den het ter ten op in 't von",
        "titles": "President Minister Premier Koning Koningin Prins Prinses Burgemeester Generaal Paus Bisschop "
                  "Meneer Mevrouw Dr Sint",
        "institution": "Ministerie Kamer Partij Commissie Raad Bank Universiteit Stichting Instituut Regering "
                       "Kabinet Rechtbank Leger Organisatie Unie Museum Academie Waterstaat Rijkswaterstaat",
        "event": "Oorlog Slag Revolutie Verdrag Top Crisis Conferentie Akkoord Ramp Watersnoodramp Opstand Wet",
        "place": "Straat Plein Brug Rivier Zee Baai Eiland Berg Dal Dijk Dam Kering Werken Haven Provincie Gracht "
                 "Kanaal Kerk Paleis Toren",
        "event_after": "",
        "generic_before": "koningin:person koning:person prins:person prinses:person",
        "calendar": "",
    },
}


@functools.lru_cache(maxsize=32)
def language(code: str) -> Language:
    """The lists for a BCP 47 language code ("en", "de-CH" → "de"); English lists for other languages."""
    base = (code or "en").split("-")[0].lower()
    lists = _LISTS.get(base, _LISTS["en"])
    english = _LISTS["en"]
    return Language(
        code=base,
        stop_words=_stop_words(base) if base in _LISTS and base != "en" else _ENGLISH_STOP_WORDS | (
            _stop_words(base) if base != "en" else frozenset()),
        particles=_words(lists["particles"]) | _words(lists["links"]),
        person_particles=_words(lists["person_particles"]),
        links=_words(lists["links"]),
        determiners=_words(lists["determiners"]),
        titles=_words(lists["titles"]) | (_words(english["titles"]) if base != "en" else frozenset()),
        institution=_words(lists["institution"]) | _SHARED_INSTITUTION,
        event=_words(lists["event"]),
        place=_words(lists["place"]),
        event_after=_words(lists["event_after"]),
        generic_before={pair.split(":")[0].rstrip("+"): pair.split(":")[1] for pair in lists["generic_before"].split()},
        generic_in_name=frozenset(p.split(":")[0][:-1] for p in lists["generic_before"].split() if "+:" in p),
        calendar=_words(lists["calendar"]),
        nouns_capitalised=bool(lists.get("nouns_capitalised")),
        head_first=base in ("es", "fr", "it", "pt", "ca"),
    )
