"""Moodle's own language-pack strings that its log and course completion reports print.

Moodle writes both reports in the language of the person who downloads them:
every header, the completion states and the event names come from
`get_string()`. So a Spanish site's log says `Hora, Nombre completo del
usuario, ...` where an English one says `Time, User full name, ...`. This
module is data: one dict per language, keyed by Moodle's string id, holding
the strings as the language packs have them (looked up, not translated by
us). A string a pack leaves untranslated falls back to English in Moodle,
so the English values are always accepted as well (`loaders.formats.moodle`).

Which string each header is (Moodle source, github.com/moodle/moodle):

* Log report, `report/log/classes/table_log.php` (`define_headers`):
  `time`, `fullnameuser` (core `moodle.php`), `eventrelatedfullnameuser`,
  `eventcontext`, `eventcomponent` (`report_log.php`), `eventname`,
  `description` (core), `eventorigin` (`report_log.php`), `ip_address`
  (core). The event name of a course completion is
  `get_string('eventcoursecompleted', 'core_completion')`
  (`lib/classes/event/course_completed.php`); event descriptions are not
  translated ("Returns non-localised event description").
* Course completion report, `report/completion/index.php` (CSV download):
  `id` and `name` (`report_completion.php`), the identity fields through
  `get_user_field_name` (`email`, `idnumber`, `department` in core), per
  activity `<activity>` and `<activity> - ` + `completiondate`
  (`report_completion.php`), finally `coursecomplete` (`completion.php`);
  activity cells are `completion-y|n|pass|fail` (`completion.php`).
* Dates: `strftimedatetimeshort` (`langconfig.php`) in the completion
  report and in log downloads up to Moodle 3.x (`strftimerecent`, without a
  year, before 2.9); `strftimedatetimeshortaccurate` in 4.x log downloads.
  They are recorded here per language as documentation; `loaders.dates`
  reads every one of them.

Where the translations were read (repository, path):

* en: moodle/moodle `lang/en/moodle.php`, `lang/en/completion.php`,
  `lang/en/langconfig.php`, `report/log/lang/en/report_log.php`,
  `report/completion/lang/en/report_completion.php`.
* es, fr, de, pt, it, nl: projectestac/moodle-langpacks (AMOS exports,
  Moodle 3.0-3.2 branches; `it/report_completion.php` 4.4)
  `<lang>/moodle.php`, `<lang>/report_log.php`, `<lang>/completion.php`,
  `<lang>/report_completion.php`, `<lang>/langconfig.php`; es also
  mutualadestruc/moodle-401 `lang/es/langconfig.php` (AMOS 4.1) for
  `strftimedatetimeshortaccurate`.
* pt_br: francissantiago/moodle (AMOS 4.5) `lang/pt_br/moodle.php`,
  `lang/pt_br/report_log.php`, `lang/pt_br/completion.php`,
  `lang/pt_br/report_completion.php`, `lang/pt_br/langconfig.php`.

Pack quirks kept as written: the Spanish `completion-pass` says
"califiación"; the Italian `coursecomplete` is "Criteri di completamento"
and its `eventname` just "Evento"; the Dutch `eventcomponent` is English
("Component"); `report_completion`'s `id` is "ID" everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LANGUAGES", "STRING_IDS"]

STRING_IDS = (
    # Log report headers, in table_log.php's order.
    "time",
    "fullnameuser",
    "eventrelatedfullnameuser",
    "eventcontext",
    "eventcomponent",
    "eventname",
    "description",
    "eventorigin",
    "ip_address",
    # The Event name of a course completion.
    "eventcoursecompleted",
    # Course completion report headers.
    "id",
    "name",
    "email",
    "idnumber",
    "department",
    "completiondate",
    "coursecomplete",
    # Activity completion states.
    "completion-y",
    "completion-n",
    "completion-pass",
    "completion-fail",
    # Date formats (langconfig.php), for the record: `loaders.dates` reads them all.
    "strftimedatetimeshort",
    "strftimedatefullshort",
)
"""The Moodle string ids every language below gives, each exactly once."""

EN: dict[str, str] = {
    "time": "Time",
    "fullnameuser": "User full name",
    "eventrelatedfullnameuser": "Affected user",
    "eventcontext": "Event context",
    "eventcomponent": "Component",
    "eventname": "Event name",
    "description": "Description",
    "eventorigin": "Origin",
    "ip_address": "IP address",
    "eventcoursecompleted": "Course completed",
    "id": "ID",
    "name": "Name",
    "email": "Email address",
    "idnumber": "ID number",
    "department": "Department",
    "completiondate": "Completion date",
    "coursecomplete": "Course complete",
    "completion-y": "Completed",
    "completion-n": "Not completed",
    "completion-pass": "Completed (achieved pass grade)",
    "completion-fail": "Completed (did not achieve pass grade)",
    "strftimedatetimeshort": "%d/%m/%y, %H:%M",
    "strftimedatefullshort": "%d/%m/%y",
}

ES: dict[str, str] = {
    "time": "Hora",
    "fullnameuser": "Nombre completo del usuario",
    "eventrelatedfullnameuser": "Usuario afectado",
    "eventcontext": "Contexto del evento",
    "eventcomponent": "Componente",
    "eventname": "Nombre evento",
    "description": "Descripción",
    "eventorigin": "Origen",
    "ip_address": "Dirección IP",
    "eventcoursecompleted": "Curso finalizado",
    "id": "ID",
    "name": "Nombre",
    "email": "Dirección de correo",
    "idnumber": "Número de ID",
    "department": "Departamento",
    "completiondate": "Fecha de finalización",
    "coursecomplete": "Curso finalizado",
    "completion-y": "Finalizado",
    "completion-n": "No finalizado",
    "completion-pass": "Finalizado (ha alcanzado la califiación de aprobado)",
    "completion-fail": "Finalizado (no ha alcanzado la calificación de aprobado)",
    "strftimedatetimeshort": "%d/%m/%Y %H:%M",
    "strftimedatefullshort": "%d/%m/%y",
}

FR: dict[str, str] = {
    "time": "Heure",
    "fullnameuser": "Nom complet",
    "eventrelatedfullnameuser": "Utilisateur touché",
    "eventcontext": "Contexte de l'événement",
    "eventcomponent": "Composant",
    "eventname": "Nom de l'événement",
    "description": "Description",
    "eventorigin": "Origine",
    "ip_address": "Adresse IP",
    "eventcoursecompleted": "Cours terminé",
    "id": "ID",
    "name": "Nom",
    "email": "Adresse de courriel",
    "idnumber": "Numéro d'identification",
    "department": "Département",
    "completiondate": "Date d'achèvement",
    "coursecomplete": "Cours terminé",
    "completion-y": "Terminé",
    "completion-n": "Pas terminé",
    "completion-pass": "Terminé (note pour passer atteinte)",
    "completion-fail": "Terminé (n'a pas atteint la note pour passer)",
    "strftimedatetimeshort": "%d %b %y, %H:%M",
    "strftimedatefullshort": "%d %b %y",
}

DE: dict[str, str] = {
    "time": "Zeit",
    "fullnameuser": "Vollständiger Name",
    "eventrelatedfullnameuser": "Betroffene/r Nutzer/in",
    "eventcontext": "Ereigniskontext",
    "eventcomponent": "Komponente",
    "eventname": "Ereignisname",
    "description": "Beschreibung",
    "eventorigin": "Herkunft",
    "ip_address": "IP-Adresse",
    "eventcoursecompleted": "Kurs beendet",
    "id": "ID",
    "name": "Name",
    "email": "E-Mail-Adresse",
    "idnumber": "ID-Nummer",
    "department": "Abteilung",
    "completiondate": "Datum des Kursabschlusses",
    "coursecomplete": "Kurs abschließen",
    "completion-y": "Abgeschlossen",
    "completion-n": "Nicht abgeschlossen",
    "completion-pass": "Abgeschlossen (Bestehensgrenze erreicht)",
    "completion-fail": "Abgeschlossen (Bestehensgrenze nicht erreicht)",
    "strftimedatetimeshort": "%d.%m.%Y %H:%M",
    "strftimedatefullshort": "%d.%m.%y",
}

PT: dict[str, str] = {
    "time": "Data/Hora",
    "fullnameuser": "Nome completo do utilizador",
    "eventrelatedfullnameuser": "Utilizador afetado",
    "eventcontext": "Contexto do evento",
    "eventcomponent": "Componente",
    "eventname": "Nome do evento",
    "description": "Descrição",
    "eventorigin": "Origem",
    "ip_address": "Endereço IP",
    "eventcoursecompleted": "Disciplina concluída",
    "id": "ID",
    "name": "Nome",
    "email": "Endereço de e-mail",
    "idnumber": "Número de identificação",
    "department": "Departamento",
    "completiondate": "Data de conclusão",
    "coursecomplete": "Disciplina concluída",
    "completion-y": "Concluído",
    "completion-n": "Por concluir",
    "completion-pass": "Concluído (atingiu a nota de aprovação)",
    "completion-fail": "Concluído (não atingiu a nota de aprovação)",
    "strftimedatetimeshort": "%d/%m/%y, %H:%M",
    "strftimedatefullshort": "%d/%m/%y",
}

PT_BR: dict[str, str] = {
    "time": "Hora",
    "fullnameuser": "Nome completo",
    "eventrelatedfullnameuser": "Usuário afetado",
    "eventcontext": "Contexto do Evento",
    "eventcomponent": "Componente",
    "eventname": "Nome do evento",
    "description": "Descrição",
    "eventorigin": "Origem",
    "ip_address": "endereço IP",
    "eventcoursecompleted": "Curso concluído",
    "id": "ID",
    "name": "Nome",
    "email": "Endereço de e-mail",
    "idnumber": "Número de identificação",
    "department": "Departamento",
    "completiondate": "Data de conclusão",
    "coursecomplete": "Curso concluído",
    "completion-y": "Concluído",
    "completion-n": "Não concluído",
    "completion-pass": "Concluído (atingiu nota de aprovação)",
    "completion-fail": "Concluído (não atingiu nota de aprovação)",
    "strftimedatetimeshort": "%d/%m/%Y %H:%M",
    "strftimedatefullshort": "%d/%m/%y",
}

IT: dict[str, str] = {
    "time": "Data/Ora",
    "fullnameuser": "Nome completo dell'utente",
    "eventrelatedfullnameuser": "Utente coinvolto",
    "eventcontext": "Contesto dell'evento",
    "eventcomponent": "Componente",
    "eventname": "Evento",
    "description": "Descrizione",
    "eventorigin": "Origine",
    "ip_address": "Indirizzo IP",
    "eventcoursecompleted": "Completato corso",
    "id": "ID",
    "name": "Nome",
    "email": "Indirizzo email",
    "idnumber": "Codice identificativo",
    "department": "Dipartimento",
    "completiondate": "Data di completamento",
    "coursecomplete": "Criteri di completamento",
    "completion-y": "Completato",
    "completion-n": "Non completato",
    "completion-pass": "Completato (raggiunta la sufficienza)",
    "completion-fail": "Completato (senza raggiungere la sufficienza)",
    "strftimedatetimeshort": "%d/%m/%Y %H:%M",
    "strftimedatefullshort": "%d/%m/%y",
}

NL: dict[str, str] = {
    "time": "Tijd",
    "fullnameuser": "Volledige naam van de gebruiker",
    "eventrelatedfullnameuser": "Over gebruiker",
    "eventcontext": "Gebeurteniscontext",
    "eventcomponent": "Component",
    "eventname": "Gebeurtenisnaam",
    "description": "Beschrijving",
    "eventorigin": "Oorsprong",
    "ip_address": "IP-adres",
    "eventcoursecompleted": "Cursus voltooid",
    "id": "ID",
    "name": "Naam",
    "email": "E-mailadres",
    "idnumber": "Nummer (ID)",
    "department": "Afdeling",
    "completiondate": "Voltooiingsdatum",
    "coursecomplete": "Cursus voltooid",
    "completion-y": "Voltooid",
    "completion-n": "Niet voltooid",
    "completion-pass": "Voltooid (voldoende cijfer behaald)",
    "completion-fail": "Voltooid (behaald cijfer onvoldoende)",
    "strftimedatetimeshort": "%d/%m/%Y %H:%M",
    "strftimedatefullshort": "%d/%m/%y",
}

LANGUAGES: Mapping[str, Mapping[str, str]] = {
    "en": EN,
    "es": ES,
    "fr": FR,
    "de": DE,
    "pt": PT,
    "pt_br": PT_BR,
    "it": IT,
    "nl": NL,
}
"""Moodle language code -> its strings; English first (it is every pack's fallback)."""
