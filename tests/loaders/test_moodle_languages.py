"""Moodle reports exported in the site's language, and dates in those languages' formats.

Headers, completion states and event names are written here by hand from the
language packs (not generated from `loaders.formats.moodle_strings`, so that
a slip there shows): projectestac/moodle-langpacks `<lang>/moodle.php`
(`time`, `fullnameuser`, `eventname`, `description`, `ip_address`, `email`,
`idnumber`, `eventcourseviewed`), `<lang>/report_log.php` (`eventcontext`,
`eventcomponent`, `eventrelatedfullnameuser`, `eventorigin`),
`<lang>/completion.php` (`coursecomplete`, `completion-y|n|pass|fail`,
`eventcoursecompleted`) and `<lang>/report_completion.php` (`id`, `name`,
`completiondate`) for es, fr, de, pt, it and nl; the same files under
`lang/pt_br/` in francissantiago/moodle (AMOS 4.5) for pt_br; moodle/moodle
for English.

Dates: each language pack's `strftimedatetimeshort` and `strftimedatefullshort`
(`langconfig.php`: projectestac/moodle-langpacks `<lang>/langconfig.php` for es,
fr, de, pt, it, nl; francissantiago/moodle `lang/pt_br/langconfig.php` (AMOS 4.5)
for pt_br; moodle/moodle `lang/en/langconfig.php` for English), printed the way
Moodle's `userdate` prints them (the day without a leading zero). Month names:
glibc's locale data (`loaders.month_names`).
"""

from __future__ import annotations

import codecs
import random
from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, text

from loaders import import_file
from loaders.dates import parse_dates
from loaders.formats import FORMATS, detect
from loaders.formats.moodle import language_of
from loaders.formats.moodle_strings import LANGUAGES, STRING_IDS
from loaders.identity import learner_key
from loaders.month_names import MONTH_NUMBERS, MONTHS_BY_LANGUAGE, month_table
from loaders.pseudonym import pseudonym_secret
from loaders.reading import normalise_header
from models.frames import usage_frame
from settings import get_settings
from tests.actors import EDITOR
from tests.loaders.factories import CSOD_HEADER, to_csv

PRODUCT = "Induction Academy"
MOODLE_PRODUCT = f"product,category,vendor\n{PRODUCT},academy,Moodle\n"

# Log report headers in table_log.php's order: time, fullnameuser, eventrelatedfullnameuser,
# eventcontext, eventcomponent, eventname, description, eventorigin, ip_address.
LOG_HEADERS = {
    "en": ["Time", "User full name", "Affected user", "Event context", "Component",
           "Event name", "Description", "Origin", "IP address"],
    "es": ["Hora", "Nombre completo del usuario", "Usuario afectado", "Contexto del evento",
           "Componente", "Nombre evento", "Descripción", "Origen", "Dirección IP"],
    "fr": ["Heure", "Nom complet", "Utilisateur touché", "Contexte de l'événement",
           "Composant", "Nom de l'événement", "Description", "Origine", "Adresse IP"],
    "de": ["Zeit", "Vollständiger Name", "Betroffene/r Nutzer/in", "Ereigniskontext",
           "Komponente", "Ereignisname", "Beschreibung", "Herkunft", "IP-Adresse"],
    "pt": ["Data/Hora", "Nome completo do utilizador", "Utilizador afetado",
           "Contexto do evento", "Componente", "Nome do evento", "Descrição", "Origem",
           "Endereço IP"],
    "pt_br": ["Hora", "Nome completo", "Usuário afetado", "Contexto do Evento", "Componente",
              "Nome do evento", "Descrição", "Origem", "endereço IP"],
    "it": ["Data/Ora", "Nome completo dell'utente", "Utente coinvolto", "Contesto dell'evento",
           "Componente", "Evento", "Descrizione", "Origine", "Indirizzo IP"],
    "nl": ["Tijd", "Volledige naam van de gebruiker", "Over gebruiker", "Gebeurteniscontext",
           "Component", "Gebeurtenisnaam", "Beschrijving", "Oorsprong", "IP-adres"],
}  # fmt: skip
# Event names: (eventcourseviewed, eventcoursecompleted).
EVENTS = {
    "en": ("Course viewed", "Course completed"),
    "es": ("Curso visto", "Curso finalizado"),
    "fr": ("Cours consulté", "Cours terminé"),
    "de": ("Kurs angezeigt", "Kurs beendet"),
    "pt": ("Disciplina visualizada", "Disciplina concluída"),
    "pt_br": ("Curso visto", "Curso concluído"),
    "it": ("Visualizzato corso", "Completato corso"),
    "nl": ("Cursus bekeken", "Cursus voltooid"),
}
# Completion report: (name, email, idnumber, completiondate, coursecomplete); "ID" everywhere.
COMPLETION_HEADERS = {
    "en": ("Name", "Email address", "ID number", "Completion date", "Course complete"),
    "es": ("Nombre", "Dirección de correo", "Número de ID", "Fecha de finalización",
           "Curso finalizado"),
    "fr": ("Nom", "Adresse de courriel", "Numéro d'identification", "Date d'achèvement",
           "Cours terminé"),
    "de": ("Name", "E-Mail-Adresse", "ID-Nummer", "Datum des Kursabschlusses",
           "Kurs abschließen"),
    "pt": ("Nome", "Endereço de e-mail", "Número de identificação", "Data de conclusão",
           "Disciplina concluída"),
    "pt_br": ("Nome", "Endereço de e-mail", "Número de identificação", "Data de conclusão",
              "Curso concluído"),
    "it": ("Nome", "Indirizzo email", "Codice identificativo", "Data di completamento",
           "Criteri di completamento"),
    "nl": ("Naam", "E-mailadres", "Nummer (ID)", "Voltooiingsdatum", "Cursus voltooid"),
}  # fmt: skip
# completion-y, completion-n, completion-pass, completion-fail.
STATES = {
    "en": ("Completed", "Not completed", "Completed (achieved pass grade)",
           "Completed (did not achieve pass grade)"),
    "es": ("Finalizado", "No finalizado", "Finalizado (ha alcanzado la califiación de aprobado)",
           "Finalizado (no ha alcanzado la calificación de aprobado)"),
    "fr": ("Terminé", "Pas terminé", "Terminé (note pour passer atteinte)",
           "Terminé (n'a pas atteint la note pour passer)"),
    "de": ("Abgeschlossen", "Nicht abgeschlossen", "Abgeschlossen (Bestehensgrenze erreicht)",
           "Abgeschlossen (Bestehensgrenze nicht erreicht)"),
    "pt": ("Concluído", "Por concluir", "Concluído (atingiu a nota de aprovação)",
           "Concluído (não atingiu a nota de aprovação)"),
    "pt_br": ("Concluído", "Não concluído", "Concluído (atingiu nota de aprovação)",
              "Concluído (não atingiu nota de aprovação)"),
    "it": ("Completato", "Non completato", "Completato (raggiunta la sufficienza)",
           "Completato (senza raggiungere la sufficienza)"),
    "nl": ("Voltooid", "Niet voltooid", "Voltooid (voldoende cijfer behaald)",
           "Voltooid (behaald cijfer onvoldoende)"),
}  # fmt: skip
# Time as the log prints it: strftimedatetimeshort; pt_br's pack is 4.5, whose log download
# prints strftimedatetimeshortaccurate. The completion report: strftimedatetimeshort.
LOG_TIME = {
    "en": "%d/%m/%y, %H:%M", "es": "%d/%m/%Y %H:%M", "fr": "%d %b %y, %H:%M",
    "de": "%d.%m.%Y %H:%M", "pt": "%d/%m/%y, %H:%M", "pt_br": "%d/%m/%y, %H:%M:%S",
    "it": "%d/%m/%Y %H:%M", "nl": "%d/%m/%Y %H:%M",
}  # fmt: skip
COMPLETION_TIME = {**LOG_TIME, "pt_br": "%d/%m/%Y %H:%M"}
FRENCH_MONTHS = ["janv.", "févr.", "mars", "avril", "mai", "juin", "juil.", "août", "sept.",
                 "oct.", "nov.", "déc."]  # fmt: skip


def userdate(pattern: str, day: date, hour: int, minute: int) -> str:
    """A date as Moodle's userdate prints it: the day without its leading zero."""
    parts = {
        "%d": str(day.day), "%m": f"{day.month:02d}", "%Y": str(day.year),
        "%y": f"{day.year % 100:02d}", "%b": FRENCH_MONTHS[day.month - 1],
        "%H": f"{hour:02d}", "%M": f"{minute:02d}", "%S": "07",
    }  # fmt: skip
    for code, value in parts.items():
        pattern = pattern.replace(code, value)
    return pattern


OCT14, MAR5, OCT2, OCT3 = date(2026, 10, 14), date(2026, 3, 5), date(2026, 10, 2), date(2026, 10, 3)


def log_csv(lang: str) -> str:
    """Five events: Zoë views the course twice and completes it (logged by the system, Zoë
    the affected user) on 14 Oct; Ben in a quiz on 5 Mar; a scheduled task with no user."""
    viewed, completed = EVENTS[lang]
    at = LOG_TIME[lang]
    rows = [
        [userdate(at, OCT14, 16, 50), "Zoë Müller", "-", "Course: Induction 2026", "System",
         viewed, "The user with id '17' viewed the course with id '9'.", "web", "10.0.0.1"],
        [userdate(at, OCT14, 16, 51), "Zoë Müller", "-", "Course: Induction 2026", "System",
         viewed, "The user with id '17' viewed the course with id '9'.", "web", "10.0.0.1"],
        [userdate(at, OCT14, 16, 52), "-", "Zoë Müller", "Course: Induction 2026", "System",
         completed, "The user with id '17' completed the course with id '9'.", "cli", ""],
        [userdate(at, MAR5, 9, 15), "Ben Ode", "-", "Quiz: Final assessment", "Quiz", viewed,
         "The user with id '23' viewed the course with id '9'.", "web", "10.0.0.2"],
        [userdate(at, MAR5, 9, 20), "-", "-", "System", "System", viewed, "Task ran.", "cli", ""],
    ]  # fmt: skip
    return to_csv([LOG_HEADERS[lang], *rows])


def completion_csv(lang: str) -> str:
    """Zoë passes the quiz and watches the video (course complete 14 Oct); Ben fails the quiz
    on 3 Oct and has not watched; Chen has done nothing."""
    name, email, idnumber, dated, complete = COMPLETION_HEADERS[lang]
    done, not_done, passed, failed = STATES[lang]
    at = COMPLETION_TIME[lang]
    header = ["ID", name, email, idnumber, "Quiz 1", f"Quiz 1 - {dated}", "Video",
              f"Video - {dated}", complete]  # fmt: skip
    rows = [
        ["17", "Zoë Müller", "zoe@acme.example", "", passed, userdate(at, OCT2, 9, 0), done,
         userdate(at, OCT14, 16, 45), userdate(at, OCT14, 16, 50)],
        ["23", "Ben Ode", "", "E-200", failed, userdate(at, OCT3, 8, 0), not_done, "", ""],
        ["31", "Chen Wei", "", "", not_done, "", not_done, "", ""],
    ]  # fmt: skip
    return to_csv([header, *rows])


# Quirks of real exports: a title line above the header (es), Moodle's "excelcsv" download
# in UTF-16LE with a BOM (de), a UTF-8 BOM (fr).
def encoded(lang: str, body: str, title: str) -> bytes:
    if lang == "es":
        return f"{title}\n{body}".encode()
    if lang == "de":
        return codecs.BOM_UTF16_LE + body.encode("utf-16-le")
    if lang == "fr":
        return codecs.BOM_UTF8 + body.encode()
    return body.encode()


def imp(engine: Engine, data: bytes, name: str):
    return import_file(data, file_name=name, engine=engine, actor=EDITOR, product=PRODUCT)


def usage(engine: Engine) -> pl.DataFrame:
    with engine.connect() as conn:
        return usage_frame(conn)


def pick(headers: list[str]) -> str:
    return detect([normalise_header(h) for h in headers], formats=FORMATS).format.name


@pytest.fixture
def moodle(portfolio: Engine) -> Engine:
    result = import_file(
        MOODLE_PRODUCT.encode(), file_name="more.csv", engine=portfolio, actor=EDITOR
    )
    assert result.status == "imported", result.errors
    return portfolio


LANGS = list(LOG_HEADERS)


def test_every_language_gives_every_string():
    assert list(LANGUAGES) == LANGS
    for lang, strings in LANGUAGES.items():
        assert sorted(strings) == sorted(STRING_IDS), lang
        assert all(strings.values()), lang


@pytest.mark.parametrize("lang", LANGS)
def test_detection_and_language_of_the_headers(lang: str):
    shuffle = random.Random(lang).shuffle
    logs = [*LOG_HEADERS[lang], "Course"]  # a site-level log adds the course first
    name, email, idnumber, dated, complete = COMPLETION_HEADERS[lang]
    completion = ["ID", name, email, idnumber, "Quiz 1", f"Quiz 1 - {dated}", complete]
    shuffle(logs)
    shuffle(completion)
    assert pick(logs) == "moodle_logs"
    assert pick(completion) == "moodle_course_completion"
    log_ids = STRING_IDS[:9]  # the log's headers, in table_log.php's order
    assert language_of([normalise_header(h) for h in logs], log_ids) == lang
    ids = ["id", "name", "email", "idnumber", "coursecomplete"]
    assert language_of([normalise_header(h) for h in completion], ids) == lang
    assert pick(CSOD_HEADER) == "cornerstone_transcript"  # it too has a "User Full Name"


@pytest.mark.parametrize("lang", LANGS)
def test_log_in_every_language(moodle: Engine, lang: str):
    result = imp(moodle, encoded(lang, log_csv(lang), "Logs"), f"logs-{lang}.csv")
    assert result.status == "imported", result.errors
    assert (result.format, result.product) == ("moodle_logs", PRODUCT)
    # 5 events: the scheduled task has no user; Zoë's 3 events of 14 Oct share one key.
    assert (result.rows_read, result.rows_imported) == (5, 2)
    notes = {d["topic"]: d for d in result.decisions}
    # Spreadsheet row of the task: the header is row 1 (row 2 below the Spanish title line).
    assert notes["events_without_user"]["rows"] == [7 if lang == "es" else 6]
    assert notes["repeated_keys"]["value"] == 2  # Zoë's 14 Oct: the completion is kept
    assert notes["learner"]["value"] == "name"
    assert notes.get("moodle_language", {}).get("value", "en") == lang
    assert (result.period_start, result.period_end) == (MAR5, OCT14)
    df = usage(moodle).sort("date")
    assert df["date"].to_list() == [MAR5, OCT14]
    # Only the localized "Course completed" completes, for the affected user (Zoë).
    assert df["completed"].to_list() == [None, True]
    assert df["completed_date"].to_list() == [None, OCT14]
    with moodle.connect() as conn:
        learners = conn.execute(text("SELECT key_kind FROM learner")).all()
    assert learners == [("name",), ("name",)]


@pytest.mark.parametrize("lang", LANGS)
def test_completion_report_in_every_language(moodle: Engine, lang: str):
    title = "Course completion report: Induction 2026"
    result = imp(moodle, encoded(lang, completion_csv(lang), title), f"completion-{lang}.csv")
    assert result.status == "imported", result.errors
    assert result.format == "moodle_course_completion"
    assert (result.rows_read, result.rows_imported) == (3, 3)
    notes = {d["topic"]: d for d in result.decisions}
    assert notes["course_item"]["activities"] == ["Quiz 1", "Video"]
    # Latest dates: Zoë 14 Oct, Ben 3 Oct, Chen none.
    assert (result.period_start, result.period_end) == (OCT3, OCT14)
    df = usage(moodle).sort("progress_pct", descending=True)
    # Zoë 2 of 2 (a passed quiz is done); Ben 1 of 2 (a failed quiz is done too); Chen 0 of 2.
    assert df["progress_pct"].to_list() == [100.0, 50.0, 0.0]
    assert df["completed"].to_list() == [True, False, False]
    assert df["completed_date"].to_list() == [OCT14, None, None]
    assert df["date"].to_list() == [OCT14, OCT3, None]
    with moodle.connect() as conn:
        kinds = sorted(k for (k,) in conn.execute(text("SELECT key_kind FROM learner")))
    # Zoë by e-mail, Ben by his ID number, Chen by Moodle's internal ID.
    assert kinds == ["email", "user_id", "user_id"]


def test_a_state_of_another_language_is_refused(moodle: Engine):
    # "Finalizado" is Spanish; in a German report it is no state of Moodle's.
    body = completion_csv("de").replace("Abgeschlossen (Bestehensgrenze erreicht)", "Finalizado")
    result = imp(moodle, body.encode(), "completion-de.csv")
    assert result.status == "rejected"
    message = result.errors[0]["message"]
    assert "'Finalizado' is not a Moodle completion status (Abgeschlossen," in message


def test_event_names_are_read_in_the_file_language(moodle: Engine):
    # Spanish "Curso finalizado" is a course completion; in a Brazilian log the same words
    # are another event ("eventcourseended" in lang/pt_br/moodle.php): activity only.
    body = log_csv("pt_br").replace("Curso concluído", "Curso finalizado")
    result = imp(moodle, body.encode(), "logs-pt_br.csv")
    assert result.status == "imported", result.errors
    assert usage(moodle)["completed"].to_list() == [None, None]


# (language, strftimedatetimeshort as Moodle prints 2026-10-14 16:50, 2026-03-05 09:15)
DATETIME_SHORT = [
    ("en", "%d/%m/%y, %H:%M", "14/10/26, 16:50", "5/03/26, 09:15"),
    ("es", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    ("fr", "%d %b %y, %H:%M", "14 oct. 26, 16:50", "5 mars 26, 09:15"),
    ("de", "%d.%m.%Y %H:%M", "14.10.2026 16:50", "5.03.2026 09:15"),
    ("pt", "%d/%m/%y, %H:%M", "14/10/26, 16:50", "5/03/26, 09:15"),
    ("pt_br", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    ("it", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    ("nl", "%d/%m/%Y %H:%M", "14/10/2026 16:50", "5/03/2026 09:15"),
    # Moodle 4.x log downloads: strftimedatetimeshortaccurate (en, es 4.1, pt_br 4.5).
    ("en 4.x", "%d/%m/%y, %H:%M:%S", "14/10/26, 16:50:07", "5/03/26, 09:15:00"),
]


@pytest.mark.parametrize(("lang", "pattern", "october", "march"), DATETIME_SHORT)
def test_datetime_short_of_every_language(lang: str, pattern: str, october: str, march: str):
    parsed = parse_dates(pl.Series([october, march]), order="dmy")
    assert parsed.values.to_list() == [date(2026, 10, 14), date(2026, 3, 5)], (lang, pattern)
    assert parsed.problem.null_count() == 2


def test_date_full_short_and_month_names():
    # strftimedatefullshort: '%d/%m/%y' (en, es, it, nl, pt, pt_br), '%d.%m.%y' (de),
    # '%d %b %y' (fr); then glibc's and ICU's French abbreviations, German, Dutch.
    cells = [
        "14/10/26", "14.10.26", "14 oct. 26", "5 févr. 26", "1 août 26", "7 avr. 26",
        "12 juil. 26", "3 déc. 26", "2 März 2026", "14 Okt 26", "3 mrt. 26", "9 set 26",
    ]  # fmt: skip
    parsed = parse_dates(pl.Series(cells), order="dmy").values.to_list()
    assert parsed == [
        date(2026, 10, 14), date(2026, 10, 14), date(2026, 10, 14), date(2026, 2, 5),
        date(2026, 8, 1), date(2026, 4, 7), date(2026, 7, 12), date(2026, 12, 3),
        date(2026, 3, 2), date(2026, 10, 14), date(2026, 3, 3), date(2026, 9, 9),
    ]  # fmt: skip


def test_no_year_and_ambiguous_names_are_not_dates():
    # Older Moodle logs (strftimerecent '%d %b, %H:%M') carry no year; "jui" is juin or juillet.
    cells = ["5 Mar, 14:02", "5 mars, 14:02", "3 jui 26", "5 marzipan 26"]
    parsed = parse_dates(pl.Series(cells), order="dmy")
    assert parsed.values.null_count() == 4
    assert parsed.problem.to_list() == ["is not a date"] * 4


def test_month_spellings_never_name_two_months():
    # Every language's names and abbreviations, checked one language against the others.
    names = {lang: month_table([months]) for lang, months in MONTHS_BY_LANGUAGE.items()}
    for spelling, month in MONTH_NUMBERS.items():
        assert all(t.get(spelling, month) == month for t in names.values()), spelling
    assert MONTH_NUMBERS["sept"] == 9 and MONTH_NUMBERS["mär"] == 3 and MONTH_NUMBERS["aout"] == 8


def test_anonymised_log_keys_learners_by_moodle_user_id(moodle: Engine):
    # A Dutch log with "-" as every user's name. Descriptions are never translated.
    at = LOG_TIME["nl"]
    task = "Task ran."
    rows = [
        [userdate(at, OCT14, 16, 50), "Course: Induction 2026", "Cursus bekeken",
         "The user with id '5104' viewed the course with id '12'."],
        [userdate(at, OCT14, 16, 51), "Course: Induction 2026", "Cursus bekeken",
         "The user with id '5104' viewed the course with id '12'."],
        [userdate(at, OCT14, 16, 52), "Course: Induction 2026", "Cursus voltooid",
         "The user with id '5104' completed the course with id '12'."],
        [userdate(at, date(2026, 10, 13), 9, 0), "Quiz: Final assessment", "Cursus bekeken",
         "The user with id '6200' has submitted the attempt with id '882' for the quiz with "
         "course module id '145'."],
        [userdate(at, date(2026, 10, 12), 7, 0), "System", "Cursus bekeken", task],
        [userdate(at, date(2026, 10, 12), 7, 5), "Course: Induction 2026", "Cursus bekeken",
         "The user with id '0' viewed the course with id '12'."],
        [userdate(at, date(2026, 10, 5), 10, 30), "Page: Read the handbook", "Cursus bekeken",
         "The user with id '6200' viewed the 'page' activity with course module id '7'."],
    ]  # fmt: skip
    body = to_csv(
        [
            LOG_HEADERS["nl"],
            *([t, "-", "-", ctx, "System", ev, d, "web", ""] for t, ctx, ev, d in rows),
        ]
    )
    result = imp(moodle, body.encode(), "logs-anonymised.csv")
    assert result.status == "imported", result.errors
    # 7 events: the task (no id) and user id 0 (not logged in) are left out: spreadsheet
    # rows 6 and 7. User 5104's three events of 14 Oct are one fact (2 merged away), user
    # 6200 has a quiz on 13 Oct and a page on 5 Oct: 3 facts.
    assert (result.rows_read, result.rows_imported) == (7, 3)
    notes = {d["topic"]: d for d in result.decisions}
    assert notes["events_without_user"]["rows"] == [6, 7]
    assert notes["repeated_keys"]["value"] == 2
    assert (notes["learner"]["value"], notes["learner"]["column"]) == ("user_id", "Beschrijving")
    assert (result.period_start, result.period_end) == (date(2026, 10, 5), OCT14)
    df = usage(moodle).sort("date")
    assert df["date"].to_list() == [date(2026, 10, 5), date(2026, 10, 13), OCT14]
    assert df["completed"].to_list() == [None, None, True]  # "Cursus voltooid", for 5104
    secret = pseudonym_secret(get_settings())
    keys = {learner_key("user_id", f"moodle:{i}", secret=secret) for i in (5104, 6200)}
    with moodle.connect() as conn:
        learners = conn.execute(text("SELECT key, key_kind FROM learner")).all()
    assert {k for k, _ in learners} == keys and {kind for _, kind in learners} == {"user_id"}
    # The completion report keys Moodle's internal ID the same way: user 5104 is one learner.
    report = to_csv([
        ["ID", "Name", "Quiz 1", "Quiz 1 - Completion date", "Course complete"],
        ["5104", "", "Completed", "14/10/26, 16:45", "14/10/26, 16:50"],
    ])  # fmt: skip
    assert imp(moodle, report.encode(), "completion.csv").status == "imported"
    with moodle.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM learner")).scalar_one() == 2
