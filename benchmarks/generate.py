#!/usr/bin/env python3
"""Write a realistic synthetic ambtsbericht for benchmarks.

    python benchmarks/generate.py OUTDIR [--seed N]

OUTDIR becomes a small repository (an empty ``.git`` marker directory, so
abuild takes OUTDIR as the repository root) holding ``reports/meetland/``: the
size of a real general report on a fictional country, Meetland --

- 12 chapters (introduction and summary with ``claims: false``, ten claims
  chapters), about 70,000 words of Dutch report prose with abbreviations
  ("o.a.", "art. 12"), Dutch numbers ("1.200", "12,5 procent") and initials
  ("J.K. Doe");
- 960 footnotes: ``[@key, p. 12]`` citations in the text (each becomes a
  note), ``^[Zie ook [@key].]`` inline notes and ``[^label]`` reference notes;
- 350 sources in ``sources.yaml`` (320 public, 30 confidential interviews),
  every one cited;
- 48 ToR questions in 8 themes, each answered by a ``{tor="x.y"}`` heading,
  two of them ``.geen-informatie``;
- pipe tables with captions, lists, ``::: geen-bron``, ``::: intern``, an HTML
  comment, a PNG figure (drawn with Pillow) and cross-references.

Every paragraph and list item of a claims chapter ends with a citation, so
``abuild check --strict`` finds nothing. Output depends only on the seed (and
on the Pillow version for the PNG); running twice gives identical files.

``generate(outdir, seed)`` is the API for the benchmark runner and tests; it
returns the counts it produced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import shutil
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SLUG = "meetland"
COUNTRY = "Meetland"
REPORT_DATE = dt.date(2026, 9, 1)
PERIOD = (dt.date(2024, 9, 1), dt.date(2026, 6, 30))

N_CHAPTERS = 12
N_PUBLIC = 320
N_CONFIDENTIAL = 30
N_NOTES = 960
PROSE_WORDS = 68_000  # words of generated sentences; headings, tables and notes add ~2,000
NOTE_KINDS = (("cite", 0.76), ("inline", 0.12), ("ref", 0.12))

# --------------------------------------------------------------------------
# The report's skeleton: themes, questions, chapters
# --------------------------------------------------------------------------

# (theme title, [(section title, question, topic phrase used in the prose)])
THEMES: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Politieke ontwikkelingen",
        [
            (
                "Politieke ontwikkelingen",
                "Wat zijn de belangrijkste politieke ontwikkelingen sinds het vorige algemeen ambtsbericht van 15 augustus 2024?",
                "de politieke ontwikkelingen",
            ),
            (
                "Verkiezingen",
                "Hoe verliepen de parlements- en presidentsverkiezingen van 2025 en werden kandidaten of kiezers belemmerd?",
                "het verloop van de verkiezingen",
            ),
            (
                "Grondwetswijziging",
                "Wat houdt de grondwetswijziging van 2025 in en welke gevolgen heeft zij voor de machtsverdeling?",
                "de grondwetswijziging",
            ),
            (
                "Oppositiepartijen",
                "Hoe treden de autoriteiten op tegen (vermeende) leden en aanhangers van oppositiepartijen, in het bijzonder de DVM?",
                "het optreden tegen de oppositie",
            ),
            (
                "Provinciaal bestuur",
                "Hoe is het bestuur in de provincies georganiseerd en welke rol spelen traditionele leiders?",
                "het provinciaal bestuur",
            ),
            (
                "Corruptie",
                "In hoeverre komt corruptie voor bij politie, justitie en de afgifte van documenten?",
                "corruptie binnen de overheid",
            ),
        ],
    ),
    (
        "Veiligheidssituatie",
        [
            (
                "Algemene veiligheidssituatie",
                "Hoe is de algemene veiligheidssituatie in Meetland en hoe heeft deze zich sinds het vorige ambtsbericht ontwikkeld?",
                "de veiligheidssituatie",
            ),
            (
                "Gewapend conflict in de Bergstreek",
                "Welke partijen zijn betrokken bij het gewapend conflict in de Bergstreek en maken zij zich schuldig aan schendingen tegen burgers?",
                "het gewapend conflict in de Bergstreek",
            ),
            (
                "Situatie in het Kustgebied",
                "Hoe is de veiligheidssituatie in het Kustgebied sinds de aanslagen van 2025?",
                "de situatie in het Kustgebied",
            ),
            (
                "Criminaliteit en bendegeweld",
                "In welke mate komen georganiseerde criminaliteit en bendegeweld voor en treden de autoriteiten daartegen op?",
                "georganiseerde criminaliteit",
            ),
            (
                "Burgerslachtoffers",
                "Hoeveel burgerslachtoffers vielen er in de verslagperiode, per provincie en per type geweld?",
                "het aantal burgerslachtoffers",
            ),
            (
                "Bewegingsvrijheid en controleposten",
                "Kunnen burgers zich vrij binnen Meetland verplaatsen en hoe verloopt het passeren van controleposten?",
                "de bewegingsvrijheid",
            ),
        ],
    ),
    (
        "Rechtsstaat",
        [
            (
                "Rechterlijke macht",
                "Is de rechterlijke macht onafhankelijk en hebben verdachten toegang tot een eerlijk proces?",
                "de onafhankelijkheid van de rechterlijke macht",
            ),
            (
                "Arrestatie en voorarrest",
                "Hoe verlopen arrestatie en voorarrest en worden wettelijke termijnen gerespecteerd?",
                "arrestatie en voorarrest",
            ),
            (
                "Detentieomstandigheden",
                "Hoe zijn de omstandigheden in gevangenissen en detentiecentra?",
                "de detentieomstandigheden",
            ),
            (
                "Foltering en mishandeling",
                "Komen foltering en mishandeling voor, door wie en met welk doel?",
                "foltering en mishandeling",
            ),
            (
                "Doodstraf",
                "Wordt de doodstraf opgelegd en voltrokken, en voor welke delicten?",
                "de toepassing van de doodstraf",
            ),
            ("Straffeloosheid", "Worden daders van mensenrechtenschendingen vervolgd en bestraft?", "straffeloosheid"),
        ],
    ),
    (
        "Mensenrechten",
        [
            (
                "Vrijheid van meningsuiting",
                "Hoe is de situatie met betrekking tot de vrijheid van meningsuiting?",
                "de vrijheid van meningsuiting",
            ),
            (
                "Persvrijheid",
                "Worden journalisten en bloggers vervolgd of anderszins belemmerd in hun werk?",
                "de persvrijheid",
            ),
            (
                "Vrijheid van vereniging en vergadering",
                "Kunnen organisaties zich vrij organiseren en kunnen burgers vreedzaam demonstreren?",
                "de vrijheid van vergadering",
            ),
            (
                "Mensenrechtenverdedigers",
                "Hoe is de positie van mensenrechtenverdedigers en advocaten?",
                "de positie van mensenrechtenverdedigers",
            ),
            (
                "Godsdienstvrijheid",
                "In hoeverre bestaat er godsdienstvrijheid, in wet en praktijk?",
                "de godsdienstvrijheid",
            ),
            (
                "Internet en surveillance",
                "In welke mate beperken of controleren de autoriteiten het internet en sociale media?",
                "de controle op internet en sociale media",
            ),
        ],
    ),
    (
        "Specifieke groepen",
        [
            (
                "Karaanse minderheid",
                "Wat is de positie van de Karaanse minderheid, in het bijzonder van Karanen met (vermeende) banden met het LVF?",
                "de positie van de Karanen",
            ),
            (
                "Leden van de DVM",
                "Lopen gewone leden van de DVM een ander risico dan prominente leden?",
                "de positie van DVM-leden",
            ),
            (
                "Dienstplicht en desertie",
                "Hoe is de dienstplicht geregeld en hoe worden dienstweigeraars en deserteurs behandeld?",
                "de dienstplicht",
            ),
            (
                "Religieuze minderheden",
                "Wat is de positie van religieuze minderheden, in het bijzonder van bekeerlingen?",
                "de positie van religieuze minderheden",
            ),
            (
                "Familieleden van LVF-strijders",
                "Worden familieleden van (vermeende) LVF-strijders door de autoriteiten benaderd of bestraft?",
                "de behandeling van familieleden van LVF-strijders",
            ),
            (
                "Statenlozen",
                "Hoeveel statenlozen verblijven in Meetland en wat is hun positie?",
                "de positie van statenlozen",
            ),
        ],
    ),
    (
        "Vrouwen, kinderen en LHBTIQ+-personen",
        [
            (
                "Positie van vrouwen",
                "Wat is de positie van vrouwen, in het bijzonder van alleenstaande vrouwen?",
                "de positie van vrouwen",
            ),
            (
                "Huiselijk en seksueel geweld",
                "Welke bescherming bestaat er tegen huiselijk en seksueel geweld?",
                "huiselijk en seksueel geweld",
            ),
            (
                "Kindhuwelijken",
                "Hoe vaak komen kindhuwelijken voor en wordt het wettelijk verbod gehandhaafd?",
                "kindhuwelijken",
            ),
            (
                "Kinderarbeid en rekrutering",
                "Komen kinderarbeid en rekrutering van kinderen door gewapende groepen voor?",
                "de rekrutering van kinderen",
            ),
            (
                "Alleenstaande minderjarigen",
                "Welke opvang bestaat er voor alleenstaande minderjarigen?",
                "de opvang van alleenstaande minderjarigen",
            ),
            (
                "LHBTIQ+-personen",
                "Wat is de positie van LHBTIQ+-personen, zowel wettelijk als in de praktijk?",
                "de positie van LHBTIQ+-personen",
            ),
        ],
    ),
    (
        "Ontheemding en sociaal-economische situatie",
        [
            (
                "Binnenlands ontheemden",
                "Hoeveel binnenlands ontheemden zijn er en hoe is hun situatie?",
                "de situatie van binnenlands ontheemden",
            ),
            (
                "Humanitaire situatie",
                "Hoe is de humanitaire situatie en hebben hulporganisaties toegang tot de getroffen gebieden?",
                "de humanitaire situatie",
            ),
            (
                "Gezondheidszorg",
                "Hoe is de toegang tot gezondheidszorg, in het bijzonder in de conflictgebieden?",
                "de toegang tot gezondheidszorg",
            ),
            (
                "Huisvesting en grondrechten",
                "Kunnen ontheemden terugkeren naar hun woning en land?",
                "huisvesting en grondrechten",
            ),
            (
                "Onderwijs",
                "Hebben kinderen toegang tot onderwijs, ook in de conflictgebieden?",
                "de toegang tot onderwijs",
            ),
            (
                "Vestigingsalternatief",
                "Kunnen personen uit de Bergstreek zich elders in Meetland vestigen?",
                "de mogelijkheden om zich elders te vestigen",
            ),
        ],
    ),
    (
        "Documenten en terugkeer",
        [
            (
                "Identiteitsdocumenten",
                "Welke identiteitsdocumenten bestaan er en hoe worden zij verkregen?",
                "de afgifte van identiteitsdocumenten",
            ),
            (
                "Reisdocumenten",
                "Hoe worden paspoorten aangevraagd en afgegeven, ook via de ambassades in het buitenland?",
                "de afgifte van paspoorten",
            ),
            (
                "Vervalste documenten",
                "In hoeverre komen vervalste of op onjuiste gronden verkregen documenten voor?",
                "vervalste documenten",
            ),
            (
                "Behandeling bij terugkeer",
                "Hoe worden (gedwongen) terugkeerders bij aankomst behandeld?",
                "de behandeling van terugkeerders",
            ),
            (
                "Terugkeer uit Nederland",
                "Zijn er gevallen bekend van personen die na terugkeer uit Nederland problemen met de autoriteiten ondervonden?",
                "personen die na terugkeer uit Nederland problemen ondervonden",
            ),
            (
                "Uitreisprocedures",
                "Welke procedures gelden bij legale uitreis en wordt illegale uitreis bestraft?",
                "de uitreisprocedures",
            ),
        ],
    ),
]

GEEN_INFORMATIE = ("5.6", "8.5")

# (file stem, chapter title, theme index or None, question slice, claims)
CHAPTERS = [
    ("00-inleiding", "Inleiding", None, None, False),
    ("01-politiek", "Politieke ontwikkelingen", 0, slice(0, 6), True),
    ("02-veiligheid", "Veiligheidssituatie", 1, slice(0, 3), True),
    ("03-geweld-en-bewegingsvrijheid", "Geweld, slachtoffers en bewegingsvrijheid", 1, slice(3, 6), True),
    ("04-rechtsstaat", "Rechtsstaat", 2, slice(0, 6), True),
    ("05-meningsuiting-en-pers", "Vrijheid van meningsuiting, pers en vergadering", 3, slice(0, 3), True),
    ("06-verdedigers-godsdienst-internet", "Mensenrechtenverdedigers, godsdienst en internet", 3, slice(3, 6), True),
    ("07-specifieke-groepen", "Specifieke groepen", 4, slice(0, 6), True),
    ("08-vrouwen-kinderen-lhbtiq", "Vrouwen, kinderen en LHBTIQ+-personen", 5, slice(0, 6), True),
    ("09-ontheemding", "Ontheemding en sociaal-economische situatie", 6, slice(0, 6), True),
    ("10-documenten-en-terugkeer", "Documenten en terugkeer", 7, slice(0, 6), True),
    ("11-samenvatting", "Samenvatting", None, None, False),
]
assert len(CHAPTERS) == N_CHAPTERS

INTRO_WORDS = 1_700
SUMMARY_WORDS = 2_300

# (chapter index, question index within the chapter or -1 for the chapter's opening section)
TABLES = [(1, 1), (2, 0), (3, 1), (4, 2), (4, 4), (5, 2), (8, 1), (9, 0), (10, 3)]
FIGURE_AT = (2, 0)

GLOSSARY = {
    "ACCORD": "Austrian Centre for Country of Origin and Asylum Research and Documentation",
    "ACLED": "Armed Conflict Location & Event Data",
    "CMR": "Centrum voor Mensenrechten Meetland",
    "CPJ": "Committee to Protect Journalists",
    "DFAT": "Australian Department of Foreign Affairs and Trade",
    "DVM": "Democratische Vernieuwing Meetland",
    "EUAA": "European Union Agency for Asylum",
    "HRW": "Human Rights Watch",
    "ICG": "International Crisis Group",
    "IND": "Immigratie- en Naturalisatiedienst",
    "IOM": "International Organization for Migration",
    "LHBTIQ+": "lesbische, homoseksuele, biseksuele, transgender, intersekse en queer personen",
    "LVF": "Leger voor de Vrije Bergstreek",
    "MLF": "Meetlandse frank",
    "NRC": "Norwegian Refugee Council",
    "NVD": "Nationale Veiligheidsdienst",
    "NVP": "Nationale Volkspartij",
    "OCHA": "United Nations Office for the Coordination of Humanitarian Affairs",
    "OHCHR": "Office of the United Nations High Commissioner for Human Rights",
    "RSF": "Reporters sans frontières",
    "SMM": "Strijdkrachten van Meetland",
    "ToR": "Terms of Reference",
    "UNHCR": "United Nations High Commissioner for Refugees",
    "UNICEF": "United Nations Children's Fund",
    "USDOS": "United States Department of State",
    "VN": "Verenigde Naties",
}

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
CITIES = [
    "Havenburg",
    "Steenveld",
    "Lindewaard",
    "Oudemolen",
    "Kreekdorp",
    "Zandvoorde",
    "Hogeveen",
    "Brugstede",
    "Rotsmond",
    "Dalwijk",
]
PROVINCES = [
    "Bergstreek",
    "Kustgebied",
    "Noordhaven",
    "Zuidmark",
    "Oostergouw",
    "Westerheide",
    "Middenvlakte",
    "Rivierdal",
]

ORGS = [
    "HRW",
    "Human Rights Watch (HRW)",
    "Amnesty International",
    "het CMR",
    "de USDOS",
    "het OHCHR",
    "de EUAA",
    "de ICG",
    "UNHCR",
    "OCHA",
    "de IOM",
    "UNICEF",
    "RSF",
    "het CPJ",
    "de DFAT",
    "Freedom House",
    "ACLED",
    "de NRC",
    "ACCORD",
    "een lokale mensenrechtenorganisatie",
    "een vertrouwelijke bron",
    "een advocaat in Havenburg",
    "onderzoeker J.K. Doe",
    "journalist M. de Wit",
    "prof. A.B. Janssen van de Universiteit van Lindewaard",
    "een medewerker van een internationale organisatie",
    "analist T.R. van Dijk van de ICG",
    "dr. S. el Amrani",
    "de VN-Speciaal Rapporteur voor Meetland",
]
PERSONS = [
    "onderzoeker J.K. Doe",
    "journalist M. de Wit",
    "prof. A.B. Janssen",
    "advocaat P.R. Mulder",
    "analist T.R. van Dijk",
    "dr. S. el Amrani",
    "mensenrechtenactivist H. Okonkwo",
    "voormalig rechter W.F. Brouwer",
]
ACTORS_SG = [
    "de politie",
    "de NVD",
    "de SMM",
    "de grenspolitie",
    "de militaire inlichtingendienst",
    "het LVF",
    "de Volkswacht",
    "de provinciale veiligheidsdienst",
]
INSTITUTIONS = [
    "HRW",
    "Amnesty International",
    "het CMR",
    "de USDOS",
    "het OHCHR",
    "de EUAA",
    "UNHCR",
    "OCHA",
    "de IOM",
    "UNICEF",
    "ACLED",
    "de NRC",
    "de DFAT",
    "het ministerie van Binnenlandse Veiligheid",
]
ACTORS = [
    "de politie",
    "de NVD",
    "de SMM",
    "de autoriteiten",
    "lokale milities",
    "het LVF",
    "leden van de Volkswacht",
    "de grenspolitie",
    "provinciale veiligheidsdiensten",
    "de militaire inlichtingendienst",
]
GROUPS = [
    "journalisten",
    "leden van de DVM",
    "studenten",
    "demonstranten",
    "terugkeerders",
    "binnenlands ontheemden",
    "mensenrechtenverdedigers",
    "Karaanse jongeren",
    "advocaten",
    "dienstweigeraars",
    "vrouwen zonder mannelijk familielid",
    "alleenstaande minderjarigen",
    "leden van religieuze minderheden",
    "LHBTIQ+-personen",
    "familieleden van oppositieleden",
    "vakbondsleden",
    "bloggers",
    "landarbeiders",
    "marktkooplieden",
    "leraren",
    "gezondheidswerkers",
]
VPP = [
    "gearresteerd",
    "aangehouden",
    "vastgehouden",
    "ondervraagd",
    "mishandeld",
    "veroordeeld",
    "bedreigd",
    "ontslagen",
    "uitgezet",
    "geïntimideerd",
    "opgeroepen voor verhoor",
    "onder huisarrest geplaatst",
]
LAWS = [
    "art. 12 van de Grondwet",
    "art. 146 van het Wetboek van Strafrecht",
    "art. 7 lid 2 van de Veiligheidswet",
    "art. 23 van de Wet openbare orde",
    "art. 31 van de Mediawet",
    "art. 118 van het Wetboek van Strafrecht",
    "art. 4 van de Wet op de dienstplicht",
    "art. 52 van de Vreemdelingenwet",
    "art. 9 van de Wet op de verenigingen",
]
OFFENCES = [
    "ondermijning van de staatsorde",
    "het verspreiden van valse berichten",
    "steun aan een terroristische organisatie",
    "deelname aan een niet-aangemelde demonstratie",
    "belediging van het staatshoofd",
    "desertie",
    "illegale uitreis",
    "het aanzetten tot haat",
    "spionage",
    "het bezit van verboden lectuur",
]
ACTIVITIES = [
    "het verkrijgen van een paspoort",
    "het vinden van werk",
    "de toegang tot onderwijs",
    "het huren van een woning",
    "het openen van een bankrekening",
    "het aanvragen van een identiteitskaart",
    "het registreren van een geboorte",
    "de toegang tot gezondheidszorg",
    "het inschrijven van hun kinderen op school",
]
VIOLATIONS = [
    "willekeurige arrestaties",
    "buitengerechtelijke executies",
    "afpersing bij controleposten",
    "gedwongen rekrutering",
    "seksueel geweld",
    "het in brand steken van woningen",
    "plunderingen",
    "het gebruik van explosieven in bewoonde gebieden",
    "gedwongen verdwijningen",
]
SERVICES = ["basisgezondheidszorg", "schoon drinkwater", "onderwijs", "rechtshulp", "elektriciteit", "voedselhulp"]
TRENDS = [
    "verder verslechterd",
    "licht verbeterd",
    "grotendeels onveranderd gebleven",
    "per regio sterk uiteengelopen",
    "na de verkiezingen opnieuw verslechterd",
]

# {X} fields are filled by Filler; the first letter of a sentence is capitalised.
TEMPLATES = [
    "Volgens {ORG} werden {WHEN} {WHERE} {N} {GROUP} {VPP}.",
    "{ORG} meldde dat {WHEN} {WHERE} {N} {GROUP} door {ACTOR} werden {VPP}.",
    "Op grond van {LAW} kan {OFFENCE} worden bestraft met een gevangenisstraf van ten hoogste {SMALL} jaar.",
    "In de praktijk wordt deze bepaling volgens {ORG} vooral toegepast tegen {GROUP} en {GROUP}.",
    "Het aantal gemelde gevallen steeg van {N} in 2024 naar {N} in 2025.",
    "{PERSON} wees erop dat de beschikbare cijfers onvolledig zijn, omdat veel slachtoffers uit angst voor represailles geen aangifte doen en de autoriteiten zelf geen gegevens openbaar maken.",
    "Er zijn geen officiële cijfers beschikbaar over {TOPIC}.",
    "Dit beeld werd door andere bronnen bevestigd.",
    "De situatie verschilt sterk per provincie.",
    "{GROUP} die {WHERE} wonen, ondervinden volgens {ORG} problemen bij {ACTIVITY}.",
    "Een vertrouwelijke bron verklaarde dat {GROUP} {WHEN} geregeld door {ACTOR} werden {VPP}, vooral wanneer zij zich in het openbaar kritisch hadden uitgelaten over {TOPIC}.",
    "Het ministerie van Binnenlandse Veiligheid maakte {WHEN} bekend dat het {N} meldingen had ontvangen, maar gaf geen nadere toelichting.",
    "{ORG} concludeerde dat de autoriteiten niet bereid of niet in staat zijn om {GROUP} effectieve bescherming te bieden.",
    "Hoewel de regering {WHEN} verschillende maatregelen aankondigde om {TOPIC} te verbeteren, waaronder de oprichting van een nationale commissie en een wijziging van {LAW}, stelden {ORG} en {ORG} vast dat deze maatregelen in de praktijk weinig effect hadden en dat {GROUP} {WHERE} nog steeds werden {VPP}.",
    "De rechtbank van {CITY} veroordeelde {WHEN} {SMALL} {GROUP} tot gevangenisstraffen van {RANGEYEARS} jaar wegens {OFFENCE}.",
    "Sinds de inwerkingtreding van de Veiligheidswet op 15 oktober 2024 is het aantal zaken wegens {OFFENCE} volgens {ORG} sterk toegenomen.",
    "In {PCT} van de gedocumenteerde gevallen ging het om {GROUP}.",
    "De VN-Mensenrechtenraad uitte {WHEN} zijn bezorgdheid over {TOPIC}.",
    "Volgens cijfers van {INST} verbleven {WHEN} circa {BIG} personen {WHERE}, van wie ongeveer {PCT} vrouwen en kinderen.",
    "Dit gold o.a. voor {GROUP} en {GROUP}.",
    "De regering ontkent dat er sprake is van systematische schendingen.",
    "Onderzoekers van de Universiteit van {CITY} schatten het werkelijke aantal op {RANGE}.",
    "Het is niet bekend hoeveel van hen nog in detentie verblijven.",
    "{ACTOR1} richtte zich daarbij in het bijzonder op {GROUP} met (vermeende) banden met het LVF.",
    "Een advocaat uit {CITY} verklaarde dat verdachten in zulke zaken vaak weken zonder contact met een advocaat of familie worden vastgehouden, en dat rechters verklaringen die onder dwang zijn afgelegd zelden terzijde schuiven.",
    "Volgens {PERSON} is de kloof tussen wetgeving en praktijk sinds het vorige ambtsbericht groter geworden.",
    "De Mediawet van 2023 verplicht o.a. nieuwswebsites met meer dan {BIG} bezoekers per dag zich te registreren bij de Mediaraad.",
    "Het CMR registreerde {WHEN} {N} klachten over {TOPIC}, tegenover {N} een jaar eerder.",
    "Dat aantal is sindsdien verder gestegen.",
    "Officiële cijfers ontbreken.",
    "De regering heeft dit tegengesproken.",
    "Deze praktijk is niet nieuw en werd al in eerdere ambtsberichten beschreven.",
    "Tussen {DATE} en {DATE} documenteerde {ORG} {N} incidenten waarbij {GROUP} betrokken waren, vooral {WHERE}.",
    "Zowel {ACTOR} als {ACTOR} maakten zich volgens {ORG} schuldig aan {VIOLATION} en {VIOLATION}.",
    "Bij controleposten {WHERE} moeten reizigers hun identiteitskaart tonen en wordt soms een betaling van {FEE} MLF gevraagd.",
    "Personen zonder geldige documenten lopen het risico te worden {VPP}.",
    "Volgens {ORG} is {TOPIC} in de verslagperiode {TREND}.",
    "In een rapport van {MONTHYEAR} beschreef {ORG} hoe {GROUP} {WHERE} stelselmatig werden {VPP}, waarbij familieleden onder druk werden gezet om informatie te verstrekken over hun verblijfplaats.",
    "Het gaat daarbij zowel om prominente als om gewone leden.",
    "Volgens de regering gaat het om incidenten die door individuele functionarissen zijn begaan en worden de verantwoordelijken vervolgd; onafhankelijke bronnen konden dit niet bevestigen.",
    "De wet voorziet in een beroepsmogelijkheid bij de Raad van State, maar die wordt volgens {ORG} zelden benut, o.a. vanwege de hoge kosten en de lange duur van de procedure.",
    '{PERSON} sprak in dit verband van een "klimaat van angst".',
    "Uit gegevens van {INST} blijkt dat {WHEN} {PCT} van de {GROUP} {WHERE} geen toegang had tot {SERVICE}.",
    "Op {DATE} nam het parlement een wijziging van {LAW} aan, die volgens critici de ruimte voor {GROUP} verder beperkt.",
    "De gevolgen daarvan waren {WHERE} het sterkst voelbaar.",
    "Naar schatting {BIG} mensen waren {WHEN} voor hun levensonderhoud afhankelijk van humanitaire hulp.",
    "{ORG} en {ORG} wezen erop dat {GROUP} in afgelegen gebieden nauwelijks toegang hebben tot {SERVICE}, terwijl de behoefte daaraan sinds {MONTHYEAR} sterk is toegenomen.",
    "Volgens {ORG} werden {GROUP} die na een oproep van de NVD niet verschenen, bij verstek veroordeeld.",
    "{ACTOR1} hield {WHEN} {WHERE} razzia's, waarbij honderden jongeren werden meegenomen voor controle van hun papieren.",
    "Dat beeld komt overeen met de bevindingen van eerdere ambtsberichten.",
    "{ORG} beschreef {WHEN} een toename van {VIOLATION}, met name {WHERE}.",
    "De autoriteiten maakten {WHEN} bekend dat zij {N} verdachten hadden vrijgelaten in het kader van een amnestieregeling; volgens {ORG} ging het daarbij nauwelijks om politieke gevangenen.",
    "Bronnen verschillen van mening over de omvang van het probleem.",
    "Het tarief voor een spoedprocedure bedraagt {FEE} MLF, ongeveer {PCT} van een gemiddeld maandinkomen.",
    "Bij de afhandeling speelt volgens {PERSON} vooral de persoonlijke relatie met lokale ambtenaren een rol.",
]

# Templates for the chapters without claims (introduction, summary)
GENERAL_TEMPLATES = [
    "Dit ambtsbericht beschrijft {TOPIC} in {COUNTRY}, voor zover deze van belang is voor de beoordeling van asielaanvragen.",
    "Het ambtsbericht is een feitelijke, onpartijdige en zo objectief mogelijke weergave van de situatie in het land.",
    "Waar bronnen elkaar tegenspreken, wordt dat vermeld.",
    "De informatie over {TOPIC} is waar mogelijk gecontroleerd aan de hand van meerdere, onafhankelijke bronnen.",
    "Over {TOPIC} is in de verslagperiode relatief weinig openbare informatie verschenen.",
    "De situatie in de conflictgebieden is slecht toegankelijk voor onafhankelijke waarnemers, zodat de informatie over die gebieden minder volledig is.",
    "Met het oog op hun veiligheid worden vertrouwelijke bronnen niet bij naam genoemd.",
    "Ten aanzien van {TOPIC} is het beeld sinds het vorige ambtsbericht {TREND}.",
    "{GROUP} lopen volgens de geraadpleegde bronnen een verhoogd risico, vooral {WHERE}.",
    'Begrippen als "vervolging" en "bescherming" worden in feitelijke zin gebruikt en niet in de juridische betekenis die zij in het vluchtelingenrecht hebben.',
    "De autoriteiten maken weinig gegevens openbaar, o.a. over arrestaties, detentie en de doodstraf.",
    "In hoofdstuk {SMALL} wordt nader ingegaan op {TOPIC}.",
    "Het ambtsbericht sluit aan op het vorige algemeen ambtsbericht over {COUNTRY} van 15 augustus 2024.",
    "Samengevat is {TOPIC} in de verslagperiode {TREND}, terwijl de positie van {GROUP} {WHERE} kwetsbaar bleef.",
]

INLINE_NOTES = [
    "Zie ook {CITE}.",
    "Zie hierover ook {CITE}.",
    "Vgl. {CITE}.",
    "Andere bronnen noemen lagere aantallen; zie {CITE}.",
    "Zie voor de gebruikte methode {CITE}.",
    "Zie voor een uitgebreidere beschrijving {CITE}.",
]
REF_NOTES = [
    "Het CMR noemt voor dezelfde periode een hoger aantal, namelijk {N} {CITE}.",
    "Het gaat om gevallen in {CITY} en {CITY}; in twee gevallen werd een familielid langer dan een maand vastgehouden {CITE}.",
    "De cijfers zijn niet onafhankelijk geverifieerd {CITE}.",
    "Volgens {PERSON} ligt het werkelijke aantal aanzienlijk hoger {CITE}.",
    "Zie voor de tekst van de bepaling {LAW} {CITE}.",
    "De autoriteiten hebben op verzoeken om een reactie niet gereageerd {CITE}.",
]

SUBSECTIONS = [
    "Wettelijk kader",
    "Praktijk",
    "Ontwikkelingen in de verslagperiode",
    "Regionale verschillen",
    "Cijfers",
    "Reactie van de autoriteiten",
    "Risicoprofielen",
    "Achtergrond",
    "Rol van de NVD",
    "Positie van vrouwen",
    "Toegang tot rechtshulp",
]

LIST_INTROS = [
    "Volgens de geraadpleegde bronnen lopen o.a. de volgende groepen een verhoogd risico:",
    "De bronnen noemen de volgende ontwikkelingen:",
    "De wet onderscheidt de volgende categorieën:",
    "In de verslagperiode deden zich onder meer de volgende incidenten voor:",
]
LIST_ITEMS = [
    "{GROUP} die {WHERE} wonen, vooral wanneer zij eerder door {ACTOR} zijn {VPP}.",
    "{GROUP} met (vermeende) banden met het LVF.",
    "Op {DATE} werden {WHERE} {N} {GROUP} {VPP}.",
    "{GROUP} die zich in het openbaar kritisch uitlaten over {TOPIC}.",
    "Personen die worden verdacht van {OFFENCE}, strafbaar op grond van {LAW}.",
    "{ACTOR1} maakte zich {WHERE} schuldig aan {VIOLATION}.",
]

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def nl_int(n: int) -> str:
    """Dutch thousands separator: 1.200, 17.850."""
    return f"{n:,}".replace(",", ".")


def nl_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def slugify(text: str) -> str:
    text = text.lower().replace("+", "").replace("ë", "e").replace("ï", "i").replace("é", "e")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


_WORD = re.compile(r"[A-Za-zÀ-ÿ]")


def count_words(markdown: str) -> int:
    """Words a reader sees: tokens with a letter, not counting citation keys,
    note labels, attributes and markup (front matter is skipped)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        markdown = markdown[end + 5 :] if end > 0 else markdown
    text = re.sub(r"\{[#.][^}]*\}", " ", markdown)
    text = re.sub(r"\[\^[^\]]+\]:?", " ", text)
    text = re.sub(r"\(#[^)]*\)|\(media/[^)]*\)", " ", text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"^:::.*$", " ", text, flags=re.M)
    n = 0
    for tok in text.split():
        if "@" in tok:
            continue
        if _WORD.search(tok):
            n += 1
    return n


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class Filler(dict):
    """format_map mapping: each field lookup draws a fresh value."""

    def __init__(self, rng: random.Random, topic: str):
        super().__init__()
        self.rng = rng
        self.topic = topic
        self.last: dict[str, str] = {}

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        if self.last.get(key) == value:  # "zowel de NVD als de NVD"
            value = self._draw(key)
        self.last[key] = value
        return value

    def _draw(self, key: str) -> str:
        r = self.rng
        if key == "ORG":
            return r.choice(ORGS)
        if key == "PERSON":
            return r.choice(PERSONS)
        if key == "ACTOR":
            return r.choice(ACTORS)
        if key == "ACTOR1":
            return r.choice(ACTORS_SG)
        if key == "INST":
            return r.choice(INSTITUTIONS)
        if key == "GROUP":
            return r.choice(GROUPS)
        if key == "VPP":
            return r.choice(VPP)
        if key == "LAW":
            return r.choice(LAWS)
        if key == "OFFENCE":
            return r.choice(OFFENCES)
        if key == "ACTIVITY":
            return r.choice(ACTIVITIES)
        if key == "VIOLATION":
            return r.choice(VIOLATIONS)
        if key == "SERVICE":
            return r.choice(SERVICES)
        if key == "TREND":
            return r.choice(TRENDS)
        if key == "TOPIC":
            return self.topic
        if key == "COUNTRY":
            return COUNTRY
        if key == "CITY":
            return r.choice(CITIES)
        if key == "WHERE":
            k = r.randrange(6)
            if k == 0:
                return f"in de provincie {r.choice(PROVINCES)}"
            if k == 1:
                return f"in {r.choice(CITIES)}"
            if k == 2:
                return f"in de districten rond {r.choice(CITIES)}"
            if k == 3:
                return r.choice(
                    [
                        "in het noorden van het land",
                        "in de hoofdstad",
                        "in verschillende provincies",
                        "in de grensstreek met Nabuurland",
                        "op het platteland",
                    ]
                )
            return f"in {r.choice(['de Bergstreek', 'het Kustgebied', 'Noordhaven', 'Zuidmark', 'Oostergouw', 'Rivierdal'])}"
        if key == "WHEN":
            k = r.randrange(6)
            d = rand_date(r, PERIOD[0], PERIOD[1])
            if k == 0:
                return f"op {nl_date(d)}"
            if k == 1:
                return f"in {MONTHS[d.month - 1]} {d.year}"
            if k == 2:
                return r.choice(
                    [
                        "eind 2025",
                        "medio 2025",
                        "begin 2026",
                        "in de eerste helft van 2026",
                        "in de tweede helft van 2025",
                        "in de verslagperiode",
                        "in 2025",
                    ]
                )
            if k == 3:
                return f"sinds {MONTHS[d.month - 1]} {d.year}"
            if k == 4:
                e = rand_date(r, d, PERIOD[1])
                return f"tussen {MONTHS[d.month - 1]} {d.year} en {MONTHS[e.month - 1]} {e.year}"
            return f"in {d.year}"
        if key == "DATE":
            return nl_date(rand_date(r, PERIOD[0], PERIOD[1]))
        if key == "MONTHYEAR":
            d = rand_date(r, PERIOD[0], PERIOD[1])
            return f"{MONTHS[d.month - 1]} {d.year}"
        if key == "N":
            k = r.randrange(4)
            if k == 0:
                return str(r.randrange(3, 99))
            if k == 1:
                return f"ten minste {r.randrange(12, 400)}"
            if k == 2:
                return nl_int(r.randrange(10, 200) * 10)
            return f"ruim {nl_int(r.randrange(10, 200) * 100)}"
        if key == "BIG":
            return nl_int(r.randrange(1_000, 900_000) // 50 * 50)
        if key == "FEE":
            return nl_int(r.randrange(5, 600) * 100)
        if key == "SMALL":
            return str(r.randrange(2, 16))
        if key == "RANGE":
            lo = r.randrange(100, 5000)
            return f"{nl_int(lo)} tot {nl_int(lo + r.randrange(100, 5000))}"
        if key == "RANGEYEARS":
            lo = r.randrange(1, 8)
            return f"{lo} tot {lo + r.randrange(2, 12)}"
        if key == "PCT":
            if r.random() < 0.4:
                return f"{r.randrange(2, 80)},{r.randrange(1, 10)} procent"
            return f"{r.randrange(2, 95)} procent"
        raise KeyError(key)


def sentence(rng: random.Random, topic: str, templates=TEMPLATES, template: str | None = None) -> str:
    return cap((template or rng.choice(templates)).format_map(Filler(rng, topic)))


# --------------------------------------------------------------------------
# Phase 1: the block structure of every chapter (notes are slots, filled later)
# --------------------------------------------------------------------------


@dataclass
class Slot:
    """A place for one footnote: after a sentence, or in a table caption."""

    caption: bool = False
    kind: str = "cite"  # cite | inline | ref
    keys: list[tuple[str, str]] = field(default_factory=list)  # (key, locator)
    style: int = 0  # cite: 0 "text [@k]." / 1 "text.[@k]"
    text: str = ""  # inline/ref note template


@dataclass
class Para:
    sentences: list[str]
    slots: dict[int, Slot] = field(default_factory=dict)
    cited: bool = True  # False: claims-free text


@dataclass
class ListBlock:
    intro: str
    items: list[Para]
    ordered: bool = False


@dataclass
class Table:
    ident: str
    caption: str
    header: list[str]
    align: list[str]
    rows: list[list[str]]
    slot: Slot = field(default_factory=lambda: Slot(caption=True))


@dataclass
class Raw:
    text: str


@dataclass
class Chapter:
    stem: str
    title: str
    claims: bool
    blocks: list = field(default_factory=list)


TABLE_KINDS = [
    (
        "Aantal door ACLED geregistreerde incidenten en doden per provincie, {period}",
        ["Provincie", "Incidenten", "Waarvan gevechten", "Doden"],
    ),
    ("Arrestaties in verband met demonstraties per provincie, {period}", ["Provincie", "2024", "2025", "Totaal"]),
    ("Aantal binnenlands ontheemden per provincie, {period}", ["Provincie", "Mannen", "Vrouwen", "Kinderen"]),
    (
        "Door het CMR geregistreerde klachten per provincie, {period}",
        ["Provincie", "Klachten", "Waarvan onderzocht", "Waarvan gegrond"],
    ),
]


def make_table(rng: random.Random, n: int) -> Table:
    caption, header = TABLE_KINDS[(n - 1) % len(TABLE_KINDS)]
    period = rng.choice(
        ["1 september 2024 – 31 december 2025", "2024–2025", "1 januari – 30 juni 2026", "september 2024 – juni 2026"]
    )
    provinces = rng.sample(PROVINCES, rng.randrange(5, 9))
    rows, totals = [], [0, 0, 0]
    for p in provinces:
        a = rng.randrange(20, 4000)
        b = rng.randrange(5, a + 1)
        c = rng.randrange(0, b + 1) if "Totaal" not in header else a + b
        for i, v in enumerate((a, b, c)):
            totals[i] += v
        rows.append([p, nl_int(a), nl_int(b), nl_int(c)])
    rows.append(["Totaal", *(nl_int(t) for t in totals)])
    return Table(f"tbl-{n}", caption.format(period=period), header, ["l", "r", "r", "r"], rows)


def plan_chapter(rng: random.Random, idx: int, budget: int, counters: dict, ids: list[str]) -> Chapter:
    stem, title, theme_i, qslice, claims = CHAPTERS[idx]
    ch = Chapter(stem, title, claims)
    ch_id = "h-" + slugify(title)
    ids.append(ch_id)
    ch.blocks.append(("h", 1, title, f"{{#{ch_id}}}"))
    words = 0

    def add_para(topic: str, lo=3, hi=9, templates=TEMPLATES, cited=True, xref: str | None = None):
        nonlocal words
        n = rng.randrange(lo, hi + 1)
        sents = [sentence(rng, topic, template=t) for t in rng.sample(templates, min(n, len(templates)))]
        n = len(sents)
        if xref and n:
            i = rng.randrange(n)
            s = sents[i]
            if rng.random() < 0.7:
                sents[i] = s[:-1] + f" (zie [](#{xref}))."
            else:
                sents[i] = s[:-1] + f" ([zie hierboven](#{xref}))."
        p = Para(sents, cited=cited)
        if cited:
            p.slots[n - 1] = Slot()
        ch.blocks.append(p)
        words += sum(count_words(s) for s in sents)

    if not claims:
        # introduction / summary: sections on the themes, no citations
        ch.blocks.insert(0, ("front", "---\nclaims: false\nnumbered: false\n---\n"))
        target = INTRO_WORDS if idx == 0 else SUMMARY_WORDS
        heads = ["Verslagperiode", "Werkwijze en bronnen", "Opbouw"] if idx == 0 else [t for t, _ in THEMES]
        per = target / (len(heads) + 1)
        topics = [q[2] for _, qs in THEMES for q in qs]
        for k, head in enumerate([None, *heads]):
            if head:
                sid = f"sec-{slugify(head)}" + ("-samenvatting" if idx else "")
                ids.append(sid)
                ch.blocks.append(("h", 2, head, f"{{#{sid}}}"))
            while words < per * (k + 1):
                add_para(rng.choice(topics), 3, 7, GENERAL_TEMPLATES, cited=False)
        return ch

    questions = THEMES[theme_i][1][qslice]
    first_q = qslice.start
    sections = [("Algemeen", None, THEMES[theme_i][1][first_q][2], -1)]
    sections += [(q[0], f"{theme_i + 1}.{first_q + j + 1}", q[2], j) for j, q in enumerate(questions)]
    weights = [1.5] + [1.0] * len(questions)
    total_w = sum(weights)
    cum = 0.0
    if idx == 1:
        ch.blocks.append(
            Raw("<!-- Cijfers in dit hoofdstuk bijgewerkt tot en met de ACLED-export van 8 juli 2026. -->")
        )
    for (head, tor, topic, qpos), w in zip(sections, weights, strict=False):
        cum += w
        sid = f"sec-{slugify(head)}" if tor else f"sec-{slugify(title)}-algemeen"
        ids.append(sid)
        if tor and tor in GEEN_INFORMATIE:
            ch.blocks.append(("h", 2, head, f'{{#{sid} tor="{tor}" .geen-informatie}}'))
            ch.blocks.append(
                Raw(
                    f"Er is geen informatie gevonden over {topic}. Ook de geraadpleegde vertrouwelijke "
                    f"bronnen konden hierover geen informatie verstrekken."
                )
            )
            continue
        attrs = f'{{#{sid} tor="{tor}"}}' if tor else f"{{#{sid}}}"
        ch.blocks.append(("h", 2, head, attrs))
        end = budget * cum / total_w
        sec_words = end - words
        n_sub = 0 if sec_words < 800 else rng.randrange(2, 4)
        subs = rng.sample(SUBSECTIONS, n_sub) if n_sub else []
        marks = [words + sec_words * (k + 0.35) / max(n_sub, 1) for k in range(n_sub)]
        first = True
        prev_ids = [i for i in ids if i.startswith("sec-")][:-1]
        while words < end:
            if subs and words >= marks[0]:
                marks.pop(0)
                sub = subs.pop(0)
                subid = f"{sid}-{slugify(sub)}"
                ids.append(subid)
                ch.blocks.append(("h", 3, sub, f"{{#{subid}}}"))
            if first and (idx, qpos) in counters["tables_at"]:
                counters["table"] += 1
                t = make_table(rng, counters["table"])
                ids.append(t.ident)
                lead = Para(
                    [f"[](#{t.ident}) geeft een overzicht van de beschikbare cijfers over {topic}."]
                    + [sentence(rng, topic) for _ in range(rng.randrange(0, 3))]
                )
                lead.slots[len(lead.sentences) - 1] = Slot()
                ch.blocks.append(lead)
                ch.blocks.append(t)
                words += sum(count_words(s) for s in lead.sentences)
            if first and (idx, qpos) == FIGURE_AT:
                p = Para(
                    [
                        "De ontwikkeling van het aantal incidenten per maand is weergegeven in [](#fig-1).",
                        sentence(rng, topic),
                    ]
                )
                p.slots[1] = Slot()
                ch.blocks.append(p)
                ch.blocks.append(("fig",))
                ids.append("fig-1")
            first = False
            r = rng.random()
            if r < 0.045:
                intro = rng.choice(LIST_INTROS)
                items = []
                for _ in range(rng.randrange(3, 7)):
                    s = [cap(rng.choice(LIST_ITEMS).format_map(Filler(rng, topic)))]
                    if rng.random() < 0.2:
                        s.append(sentence(rng, topic))
                    it = Para(s)
                    it.slots[len(s) - 1] = Slot()
                    items.append(it)
                    words += sum(count_words(x) for x in s)
                ch.blocks.append(ListBlock(intro, items, ordered=rng.random() < 0.25))
                words += count_words(intro)
            elif r < 0.08 and prev_ids:
                add_para(topic, xref=rng.choice(prev_ids))
            else:
                add_para(topic)
    if idx == 5:
        ch.blocks.append(
            Raw(
                "::: geen-bron\nDe cijfers in dit hoofdstuk zijn afkomstig van lokale en internationale "
                "organisaties en zijn niet door de autoriteiten bevestigd. De autoriteiten publiceren geen "
                "eigen cijfers. Verschillende bronnen hanteren uiteenlopende definities en periodes, zodat "
                "de cijfers niet zonder meer onderling vergelijkbaar zijn.\n:::"
            )
        )
    if idx == 3:
        ch.blocks.insert(
            3,
            Raw(
                "::: intern\nNog navragen bij de post of de cijfers over het tweede kwartaal van 2026 "
                "definitief zijn. Tekst daarna laten meelezen door de landenspecialist.\n:::"
            ),
        )
    return ch


# --------------------------------------------------------------------------
# Phase 2: notes and keys
# --------------------------------------------------------------------------


def iter_paras(chapters: list[Chapter]):
    for ch in chapters:
        for b in ch.blocks:
            if isinstance(b, Para) and b.cited:
                yield b
            elif isinstance(b, ListBlock):
                yield from b.items


def assign_notes(rng: random.Random, chapters: list[Chapter], sources: list[dict]) -> int:
    """Place N_NOTES notes: one ending every paragraph, list item and caption,
    the rest after randomly chosen sentences; give each its source keys.
    Returns how many of the notes were required."""
    mandatory: list[Slot] = []
    candidates: list[tuple[Para, int]] = []
    for p in iter_paras(chapters):
        mandatory.extend(p.slots.values())
        candidates.extend((p, i) for i in range(len(p.sentences) - 1))
    for ch in chapters:
        mandatory.extend(b.slot for b in ch.blocks if isinstance(b, Table))
    extra = N_NOTES - len(mandatory)
    if extra < 0:
        raise SystemExit(f"generate: {len(mandatory)} paragraphs need a note, more than {N_NOTES}")
    for p, i in rng.sample(candidates, extra):
        p.slots[i] = Slot()
    slots: list[Slot] = []
    for p in iter_paras(chapters):
        slots.extend(p.slots[i] for i in sorted(p.slots))
    slots.extend(s for s in mandatory if s.caption)
    assert len(slots) == N_NOTES, len(slots)

    kinds, weights = zip(*NOTE_KINDS, strict=False)
    for s in slots:
        s.kind = "cite" if s.caption else rng.choices(kinds, weights)[0]
        s.style = rng.choices((0, 1, 2), (0.45, 0.4, 0.15))[0]
        if s.kind == "inline":
            s.text = rng.choice(INLINE_NOTES)
        elif s.kind == "ref":
            s.text = rng.choice(REF_NOTES)

    # keys: first every source once (in random order over the slots), then by popularity
    ids = [src["id"] for src in sources]
    types = {src["id"]: ("confidential" if src.get("confidential") else src["type"]) for src in sources}
    ranked = rng.sample(ids, len(ids))  # popularity rank: a few sources are cited far more than most
    popularity = [(0.25 if types[k] == "confidential" else 1.0) / (1 + r) ** 0.7 for r, k in enumerate(ranked)]
    queue = rng.sample(ids, len(ids))
    for s in rng.sample(slots, len(slots)):
        n = rng.choices((1, 2, 3), (0.70, 0.22, 0.08))[0]
        chosen: list[str] = []
        if queue:
            chosen.append(queue.pop())
        while len(chosen) < n:
            k = rng.choices(ranked, popularity)[0]
            if k not in chosen:
                chosen.append(k)
        s.keys = [(k, locator(rng, types[k])) for k in chosen]
    return len(mandatory)


def locator(rng: random.Random, typ: str) -> str:
    if typ in ("report", "article-journal") and rng.random() < 0.65:
        k = rng.randrange(10)
        p = rng.randrange(2, 180)
        if k < 6:
            return f"p. {p}"
        if k < 8:
            return f"pp. {p}-{p + rng.randrange(1, 5)}"
        if k < 9:
            return f"para. {rng.randrange(5, 90)}"
        return f"sec. {rng.randrange(1, 7)}.{rng.choice('abcd')}"
    if typ == "legislation" and rng.random() < 0.5:
        return f"art. {rng.randrange(1, 160)}"
    return ""


def cite_group(keys: list[tuple[str, str]]) -> str:
    return "[" + "; ".join(f"@{k}, {loc}" if loc else f"@{k}" for k, loc in keys) + "]"


# --------------------------------------------------------------------------
# Serialisation
# --------------------------------------------------------------------------


def render_chapter(rng: random.Random, ch: Chapter, chapter_no: int) -> str:
    out: list[str] = []
    label_no = 0

    def para_text(p: Para) -> tuple[str, list[str]]:
        nonlocal label_no
        parts, defs = [], []
        for i, s in enumerate(p.sentences):
            slot = p.slots.get(i)
            if slot is None:
                parts.append(s)
                continue
            cite = cite_group(slot.keys)
            last = i == len(p.sentences) - 1
            if slot.kind == "cite" and slot.style == 2 and not last and ", " in s:
                head, tail = s.split(", ", 1)  # "Volgens X [@k], werden ..."
                parts.append(f"{head} {cite}, {tail}")
            elif slot.kind == "cite":
                parts.append(f"{s[:-1]} {cite}." if slot.style == 0 else f"{s}{cite}")
            else:
                note = cap(slot.text.format_map(_NoteFiller(rng, cite)))
                if slot.kind == "inline":
                    parts.append(f"{s}^[{note}]")
                else:
                    label_no += 1
                    label = f"c{chapter_no}n{label_no}"
                    parts.append(f"{s}[^{label}]")
                    defs.append(f"[^{label}]: {note}")
        return " ".join(parts), defs

    for b in ch.blocks:
        if isinstance(b, tuple):
            if b[0] == "front":
                out.append(b[1].rstrip("\n"))
            elif b[0] == "h":
                out.append(f"{'#' * b[1]} {b[2]} {b[3]}")
            elif b[0] == "fig":
                out.append(
                    "![Aantal door ACLED geregistreerde incidenten per maand, september 2024 – juni 2026]"
                    "(media/fig.png){#fig-1}"
                )
        elif isinstance(b, Para):
            text, defs = para_text(b)
            out.append(text)
            out.extend(defs)
        elif isinstance(b, ListBlock):
            lines, defs = [], []
            for j, it in enumerate(b.items):
                text, d = para_text(it)
                lines.append(f"{j + 1}. {text}" if b.ordered else f"- {text}")
                defs.extend(d)
            out.append(b.intro)
            out.append("\n".join(lines))
            out.extend(defs)
        elif isinstance(b, Table):
            widths = [max(len(r[c]) for r in [b.header, *b.rows]) for c in range(len(b.header))]

            def row(cells):
                return (
                    "| "
                    + " | ".join(
                        c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, b.align, strict=False)
                    )
                    + " |"
                )

            rule = (
                "|"
                + "|".join(
                    ":" + "-" * (w + 1) if a == "l" else "-" * (w + 1) + ":"
                    for w, a in zip(widths, b.align, strict=False)
                )
                + "|"
            )
            out.append("\n".join([row(b.header), rule, *(row(r) for r in b.rows)]))
            out.append(f": {b.caption} {cite_group(b.slot.keys)} {{#{b.ident}}}")
        elif isinstance(b, Raw):
            out.append(b.text)
    return "\n\n".join(out) + "\n"


class _NoteFiller(Filler):
    def __init__(self, rng, cite):
        super().__init__(rng, "")
        self.cite = cite

    def __missing__(self, key):
        if key == "CITE":
            return self.cite
        return super().__missing__(key)


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------

# (author literal, id prefix, domain, kinds of publication)
PUBLISHERS = [
    ("Human Rights Watch", "hrw", "www.hrw.org", ("report", "webpage")),
    ("Amnesty International", "ai", "www.amnesty.org", ("report", "webpage")),
    ("United States Department of State", "usdos", "www.state.gov", ("report",)),
    ("United Nations High Commissioner for Refugees", "unhcr", "www.refworld.org", ("report",)),
    (
        "Office of the United Nations High Commissioner for Human Rights",
        "ohchr",
        "www.ohchr.org",
        ("report", "webpage"),
    ),
    ("European Union Agency for Asylum", "euaa", "euaa.europa.eu", ("report",)),
    ("International Crisis Group", "icg", "www.crisisgroup.org", ("report",)),
    ("Armed Conflict Location & Event Data", "acled", "acleddata.com", ("report", "webpage")),
    ("United Nations Office for the Coordination of Humanitarian Affairs", "ocha", "www.unocha.org", ("report",)),
    ("International Organization for Migration", "iom", "dtm.iom.int", ("report",)),
    ("United Nations Children's Fund", "unicef", "www.unicef.org", ("report", "webpage")),
    ("Reporters sans frontières", "rsf", "rsf.org", ("webpage",)),
    ("Committee to Protect Journalists", "cpj", "cpj.org", ("webpage",)),
    ("Australian Department of Foreign Affairs and Trade", "dfat", "www.dfat.gov.au", ("report",)),
    ("Freedom House", "fh", "freedomhouse.org", ("report",)),
    ("Centrum voor Mensenrechten Meetland", "cmr", "www.cmr-meetland.example", ("report", "webpage")),
    ("Norwegian Refugee Council", "nrc", "www.nrc.no", ("report",)),
    (
        "Austrian Centre for Country of Origin and Asylum Research and Documentation",
        "accord",
        "www.ecoi.net",
        ("report",),
    ),
]
NEWSPAPERS = [
    ("Reuters", "reuters", "www.reuters.com"),
    ("Agence France-Presse", "afp", "www.afp.com"),
    ("The Guardian", "guardian", "www.theguardian.com"),
    ("Al Jazeera", "aljazeera", "www.aljazeera.com"),
    ("Meetland Courant", "courant", "www.meetlandcourant.example"),
    ("Havenburg Dagblad", "hd", "www.havenburgdagblad.example"),
    ("BBC News", "bbc", "www.bbc.com"),
]
JOURNALISTS = [
    ("Doe", "J.K."),
    ("de Wit", "M."),
    ("Okafor", "C."),
    ("Lindqvist", "E."),
    ("Haddad", "R."),
    ("Verhoeven", "L.M."),
    ("Santos", "A."),
]
SUBJECTS_EN = [
    "Arbitrary Detention",
    "Enforced Disappearances",
    "Press Freedom",
    "Freedom of Assembly",
    "Conscription and Desertion",
    "Internal Displacement",
    "Women's Rights",
    "Child Marriage",
    "Treatment of Returnees",
    "Identity Documents",
    "Religious Minorities",
    "Death Penalty",
    "Prison Conditions",
    "Torture and Ill-Treatment",
    "Armed Conflict in Bergstreek",
    "Security Situation",
    "Elections",
    "Constitutional Reform",
    "LGBTIQ Persons",
    "Karaan Minority",
    "Civil Society",
    "Online Surveillance",
    "Humanitarian Access",
    "Health Care",
    "Education",
    "Land Rights",
    "Corruption",
    "Judicial Independence",
    "Human Rights Defenders",
    "Statelessness",
]
TITLE_PATTERNS = [
    "{s} in Meetland",
    "Meetland: {s}",
    '"No One Is Safe": {s} in Meetland',
    "Meetland – {s} ({y})",
    "{s}: Developments in {y}",
    "Country Focus Meetland: {s}",
    "Meetland: {s} and the Rule of Law",
]
ANNUALS = {
    "hrw": "World Report {y} – Meetland",
    "ai": "The State of the World's Human Rights – Meetland {y0}",
    "usdos": "{y0} Country Reports on Human Rights Practices – Meetland",
    "fh": "Freedom in the World {y} – Meetland",
    "ocha": "Humanitarian Needs Overview {y} – Meetland",
    "rsf": "World Press Freedom Index {y}: Meetland",
}
LAWS_TITLES = [
    ("wet-2024-veiligheid", "Wet nr. 14/2024 op de nationale veiligheid"),
    ("wvsr-2025", "Wetboek van Strafrecht (geconsolideerde versie 2025)"),
    ("mediawet-2023", "Mediawet 2023"),
    ("grondwet-2025", "Grondwet van de Republiek Meetland (gewijzigd 2025)"),
    ("wet-2019-dienstplicht", "Wet op de dienstplicht 2019"),
    ("vreemdelingenwet-2021", "Vreemdelingenwet 2021"),
    ("wet-2025-verenigingen", "Wet op de verenigingen 2025"),
    ("wet-2018-burgerlijke-stand", "Wet op de burgerlijke stand 2018"),
    ("besluit-2025-noodtoestand", "Besluit nr. 31/2025 tot afkondiging van de noodtoestand in de Bergstreek"),
    ("wet-2025-buitenlandse-financiering", "Wet nr. 7/2025 op organisaties met buitenlandse financiering"),
    ("wet-2016-personenrecht", "Wet op het personenrecht 2016"),
    ("wet-2022-identiteitsbewijzen", "Wet op de identiteitsbewijzen 2022"),
]
WHO = [
    "medewerker VN-organisatie, Genève",
    "strafrechtadvocaat in Havenburg",
    "lokale journalist uit de Bergstreek",
    "arts bij een medische ngo",
    "diplomatiek medewerker westerse ambassade, Havenburg",
    "vertegenwoordiger Karaanse gemeenschapsorganisatie",
    "medewerker internationale ngo, Steenveld",
    "voormalig ambtenaar ministerie van Binnenlandse Veiligheid",
    "onderzoeker lokale universiteit",
    "religieus leider, Kreekdorp",
]


def make_sources(rng: random.Random) -> list[dict]:
    out: list[dict] = []
    used: list[str] = []

    def uid(base: str) -> str:
        k, cand = 0, base
        while cand in used:
            k += 1
            cand = f"{base}-{string.ascii_lowercase[k - 1]}" if k <= 26 else f"{base}-{k}"
        used.append(cand)
        return cand

    dates = sorted(rand_date(rng, dt.date(2024, 10, 1), dt.date(2026, 7, 31)) for _ in range(N_CONFIDENTIAL))
    for d in dates:
        out.append(
            {
                "id": uid(f"vb-{d.isoformat()}"),
                "type": "interview",
                "confidential": True,
                "issued": d,
                "internal": {
                    "who": rng.choice(WHO),
                    "notes": f"gespreksverslag AMB-ML/{d.year}/{d.strftime('%m%d')}; "
                    f"{rng.choice(['in persoon', 'telefonisch', 'via versleutelde app', 'videogesprek'])}",
                    "archief": f"AMB-ML/{d.year}/{d.strftime('%m%d')}",  # where it is archived (AB111)
                },
            }
        )

    n_news, n_law, n_journal = 60, len(LAWS_TITLES), 16
    n_org = N_PUBLIC - n_news - n_law - n_journal
    annual_done: list[str] = []
    for i in range(n_org):
        name, prefix, domain, kinds = (
            PUBLISHERS[i % len(PUBLISHERS)] if i < 2 * len(PUBLISHERS) else rng.choice(PUBLISHERS)
        )
        typ = rng.choice(kinds)
        issued = rand_date(rng, dt.date(2024, 6, 1), dt.date(2026, 7, 31))
        y = issued.year
        if prefix in ANNUALS and f"{prefix}{y}" not in annual_done:
            annual_done.append(f"{prefix}{y}")
            title = ANNUALS[prefix].format(y=y, y0=y - 1)
            slug = "jaarrapport"
            typ = "report"
        else:
            subject = rng.choice(SUBJECTS_EN)
            title = rng.choice(TITLE_PATTERNS).format(s=subject, y=y)
            slug = slugify(subject).split("-")[0]
        sid = uid(f"{prefix}-{y}-{slug}")
        src = {"id": sid, "type": typ, "author": [{"literal": name}], "title": title}
        if typ == "report":
            src["publisher"] = name
            if rng.random() < 0.3:
                src["number"] = f"{prefix.upper()} {rng.randrange(10, 99)}/{rng.randrange(1000, 9999)}/{y}"
        else:
            src["container-title"] = f"{name} – News"
        src["issued"] = issued
        src["URL"] = f"https://{domain}/{y}/{issued.month:02d}/{sid}"
        src["accessed"] = min(issued + dt.timedelta(days=rng.randrange(0, 21)), REPORT_DATE)
        out.append(src)

    for _ in range(n_news):
        paper, prefix, domain = rng.choice(NEWSPAPERS)
        issued = rand_date(rng, PERIOD[0], dt.date(2026, 7, 31))
        subject = rng.choice(SUBJECTS_EN)
        sid = uid(f"{prefix}-{issued.isoformat()}")
        src = {"id": sid, "type": "article-newspaper"}
        if rng.random() < 0.5:
            fam, giv = rng.choice(JOURNALISTS)
            src["author"] = [{"family": fam, "given": giv}]
        else:
            src["author"] = [{"literal": paper}]
        src["title"] = (
            f"Meetland: {rng.choice(['new report on', 'concern over', 'crackdown on', 'debate on', 'court ruling on'])} {subject.lower()}"
        )
        src["container-title"] = paper
        src["issued"] = issued
        src["URL"] = f"https://{domain}/world/{issued.isoformat()}/meetland-{slugify(subject)}"
        src["accessed"] = min(issued + dt.timedelta(days=rng.randrange(0, 10)), REPORT_DATE)
        out.append(src)

    for sid, t in LAWS_TITLES:
        year = int(re.findall(r"\d{4}", t)[-1])
        issued = rand_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
        out.append(
            {
                "id": uid(sid),
                "type": "legislation",
                "author": [{"literal": "Republiek Meetland"}],
                "title": t,
                "issued": issued,
            }
        )

    for _ in range(n_journal):
        fam, giv = rng.choice(JOURNALISTS)
        issued = rand_date(rng, dt.date(2023, 1, 1), dt.date(2026, 5, 31))
        subject = rng.choice(SUBJECTS_EN)
        first_page = rng.randrange(1, 300)
        sid = uid(f"{slugify(fam).replace('-', '')}-{issued.year}-{slugify(subject).split('-')[0]}")
        src = {
            "id": sid,
            "type": "article-journal",
            "author": [{"family": fam, "given": giv}],
            "title": f"{subject} and State Power in Meetland",
            "container-title": "Journal of Meetland Studies",
            "volume": str(issued.year - 2000),
            "issue": str(rng.randrange(1, 5)),
            "page": f"{first_page}-{first_page + rng.randrange(15, 30)}",
            "issued": issued,
        }
        if rng.random() < 0.5:
            src["URL"] = f"https://journals.example.org/jms/{issued.year}/{sid}"
            src["accessed"] = min(issued + dt.timedelta(days=rng.randrange(1, 60)), REPORT_DATE)
        out.append(src)
    assert len(out) == N_PUBLIC + N_CONFIDENTIAL, len(out)
    return out


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def write_figure(path: Path) -> None:
    from PIL import Image, ImageDraw

    w, h = 720, 360
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    values = [52, 61, 48, 70, 88, 95, 120, 134, 110, 98, 105, 142, 160, 151, 138, 122, 130, 149, 171, 165, 158, 140]
    left, bottom, top = 50, h - 40, 20
    d.line([(left, top), (left, bottom), (w - 20, bottom)], fill=(60, 60, 60), width=2)
    bw = (w - 20 - left) / len(values)
    vmax = max(values)
    for i, v in enumerate(values):
        x0 = left + i * bw + 3
        y0 = bottom - (bottom - top) * v / vmax
        d.rectangle([x0, y0, x0 + bw - 6, bottom - 1], fill=(21, 66, 115))
    for k in range(1, 5):
        y = bottom - (bottom - top) * k / 4
        d.line([(left - 5, y), (left, y)], fill=(60, 60, 60), width=1)
    img.save(path, format="PNG", optimize=False)


def generate(outdir: Path | str, seed: int = 1) -> dict:
    """Write the report into ``outdir`` and return its counts."""
    outdir = Path(outdir)
    rng = random.Random(seed)
    report = outdir / "reports" / SLUG
    if report.exists():
        shutil.rmtree(report)
    (report / "chapters").mkdir(parents=True)
    (report / "media").mkdir()
    (outdir / ".git").mkdir(exist_ok=True)

    sources = make_sources(random.Random(rng.random()))

    claims_budget = PROSE_WORDS - INTRO_WORDS - SUMMARY_WORDS
    shares = []
    for _stem, _title, _theme_i, qslice, claims in CHAPTERS:
        shares.append(len(range(6)[qslice]) + 1.5 if claims else 0)
    counters = {"table": 0, "tables_at": TABLES}
    ids: list[str] = []
    chapters = []
    for i in range(N_CHAPTERS):
        budget = round(claims_budget * shares[i] / sum(shares))
        chapters.append(plan_chapter(random.Random(rng.random()), i, budget, counters, ids))
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    required = assign_notes(random.Random(rng.random()), chapters, sources)

    words = 0
    files = []
    for no, ch in enumerate(chapters):
        text = render_chapter(random.Random(rng.random()), ch, no)
        (report / "chapters" / f"{ch.stem}.md").write_text(text, encoding="utf-8")
        files.append(f"chapters/{ch.stem}.md")
        words += count_words(text)

    meta = {
        "title": f"Algemeen ambtsbericht {COUNTRY}",
        "kind": "algemeen",
        "country": COUNTRY,
        "language": "nl",
        "date": REPORT_DATE,
        "reference_period": {"start": PERIOD[0], "end": PERIOD[1]},
        "status": "concept",
        "version": "0.9",
        "issuer": "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten",
        "place": "Den Haag",  # the colofon's rows (AB505)
        "responsible_unit": "Directie Sociale en Culturele Zaken, Afdeling Ambtsberichten",
        "previous": dt.date(2024, 8, 15),
        "chapters": files,
        # the reviewed allow list (AB302): public names that the internal
        # fields of the confidential sources mention
        "public_terms": [
            "Havenburg",
            "Kreekdorp",
            "Steenveld",
            "Bergstreek",
            "Karaanse",
            "ministerie van Binnenlandse Veiligheid",
        ],
    }
    (report / "report.yaml").write_text(
        f"# Synthetisch benchmarkrapport (benchmarks/generate.py, seed {seed})\n" + _dump(meta), encoding="utf-8"
    )
    tor = {
        "title": f"Terms of Reference algemeen ambtsbericht {COUNTRY}",
        "requested_by": "Ministerie van Justitie en Veiligheid (IND)",
        "date": dt.date(2025, 6, 10),
        "themes": [
            {
                "id": str(t + 1),
                "title": title,
                "questions": [{"id": f"{t + 1}.{q + 1}", "text": qs[1]} for q, qs in enumerate(questions)],
            }
            for t, (title, questions) in enumerate(THEMES)
        ],
    }
    (report / "tor.yaml").write_text(_dump(tor), encoding="utf-8")
    # every public source with a URL has its archived copy (AB111; AB109 hashes
    # each): a made-up page of ~150 bytes, 290 of them
    (report / "archive").mkdir()
    for src in sources:
        if src.get("URL") and not src.get("confidential"):
            copy = f"<!doctype html><title>{src['id']}</title><p>Fictieve kopie van {src['URL']}</p>\n".encode()
            (report / "archive" / f"{src['id']}.html").write_bytes(copy)
            src["archive"] = {"file": f"archive/{src['id']}.html", "sha256": hashlib.sha256(copy).hexdigest()}
    (report / "sources.yaml").write_text(
        f"# Bronnen van het algemeen ambtsbericht {COUNTRY} (fictief; URL's worden nooit opgehaald).\n\n"
        + "\n".join(_dump([s]) for s in sources),
        encoding="utf-8",
    )
    (report / "glossary.yaml").write_text(
        _dump(dict(sorted(GLOSSARY.items(), key=lambda kv: kv[0].lower()))), encoding="utf-8"
    )
    write_figure(report / "media" / "fig.png")
    return {
        "report": str(report),
        "chapters": len(chapters),
        "words": words,
        "notes": N_NOTES,
        "required_notes": required,
        "sources": len(sources),
        "confidential": sum(1 for s in sources if s.get("confidential")),
        "questions": sum(len(q) for _, q in THEMES),
        "tables": counters["table"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    stats = generate(args.outdir, args.seed)
    print(
        f"{stats['report']}: {stats['chapters']} chapters, {stats['words']:,} words, {stats['notes']} notes "
        f"({stats['required_notes']} ending a paragraph, item or caption), "
        f"{stats['sources']} sources ({stats['confidential']} confidential), {stats['questions']} questions, "
        f"{stats['tables']} tables"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
