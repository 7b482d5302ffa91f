"""Danish (translatable) text of the administration room: refusals, roles and the audit
trail's actions (a code without an entry is shown as the code itself)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ...models import ActorKind, Role
from ...services.errors import ServiceError
from ..messages import translate

MESSAGES = {
    "username_taken": _l("Brugernavnet %(username)s er optaget. Vælg et andet."),
    "username_invalid": _l(
        "Brugernavnet skal være 2-64 tegn: små bogstaver a-z, tal, punktum, bindestreg eller "
        "understregning, og det skal begynde med et bogstav eller tal."
    ),
    "email_invalid": _l(
        "Skriv en gyldig e-mailadresse, fx navn@kommune.dk, eller lad feltet stå tomt."
    ),
    "unit_required": _l("En sagsbehandler skal høre til en enhed. Vælg enheden."),
    "unit_unknown": _l("Enheden findes ikke. Vælg en enhed på listen."),
    "own_account": _l(
        "Du kan ikke deaktivere dig selv eller ændre din egen rolle. Bed en anden administrator."
    ),
    "last_admin": _l(
        "Det er den sidste aktive administrator. Gør en anden til administrator først."
    ),
    "already_active": _l("Brugeren er allerede aktiv."),
    "already_inactive": _l("Brugeren er deaktiveret. Aktivér brugeren først."),
    "password_short": _l("Adgangskoden skal være mindst %(least)s tegn."),
    "password_long": _l("Adgangskoden må højst være %(most)s tegn."),
    "password_is_username": _l("Adgangskoden må ikke være dit brugernavn."),
    "not_found": _l("Brugeren findes ikke."),
    # the reset link (services.admin_users.ResetLinkError)
    "expired": _l("Linket er udløbet. Bed administratoren om et nyt link."),
    "invalid": _l("Linket er ugyldigt. Kontrollér, at du har hele linket, eller bed om et nyt."),
    "used": _l(
        "Linket er allerede brugt eller afløst af et nyere link. Bed administratoren om et nyt."
    ),
}

ROLES = {
    Role.caseworker: _l("Sagsbehandler"),
    Role.callin: _l("Central indkaldelse"),
    Role.planner: _l("Planlægger"),
    Role.manager: _l("Leder"),
    Role.admin: _l("Administrator"),
}

ACTOR_KINDS = {
    ActorKind.staff: _l("Medarbejder"),
    ActorKind.citizen: _l("Borger"),
    ActorKind.system: _l("System"),
    ActorKind.api_client: _l("API-klient"),
}

ACTIONS = {
    # accounts and sessions
    "login": _l("Loggede ind"),
    "logout": _l("Loggede ud"),
    "password_reset": _l("Valgte ny adgangskode via engangslink"),
    "citizen_logout": _l("Borger loggede ud"),
    "citizen_link_opened": _l("Borger åbnede sit personlige link"),
    "citizen_link_issued": _l("Nyt personligt link til borger"),
    "citizen_links_revoked": _l("Borgerens personlige links tilbagekaldt"),
    "cpr_rehash": _l("CPR-opslagsnøgle skiftet"),
    # administration
    "admin.user_created": _l("Oprettede bruger"),
    "admin.user_updated": _l("Rettede bruger"),
    "admin.role_changed": _l("Ændrede rolle"),
    "admin.unit_changed": _l("Ændrede enhed"),
    "admin.user_deactivated": _l("Deaktiverede bruger"),
    "admin.user_reactivated": _l("Genaktiverede bruger"),
    "admin.password_link_issued": _l("Lavede engangslink til ny adgangskode"),
    "admin.audit_viewed": _l("Så revisionssporet"),
    "admin.audit_exported": _l("Eksporterede revisionssporet"),
    # citizens seen
    "citizen_lookup": _l("Slog borger op på CPR-nummer"),
    "citizen_viewed": _l("Så borgerens side"),
    "citizen_purpose_stated": _l("Angav formål med opslag"),
    "citizen_reads_blocked": _l("Spærret: for mange borgeropslag"),
    "citizen_viewed_own": _l("Borger så sin oversigt"),
    "citizen_viewed_booking": _l("Borger så sin booking"),
    "citizen_viewed_slots": _l("Borger så ledige tider"),
    "caseworker_calendar_view": _l("Så sagsbehandlerens kalender"),
    "callin_central_booking_view": _l("Så central booking af borger"),
    "callin_central_list_view": _l("Så listen til central booking"),
    "callin_desk_view": _l("Så skranken"),
    "callin_phone_list_view": _l("Så ringelisten"),
    "callin_queue_view": _l("Så sin kø ved fælles indkald"),
    "callin_session_view": _l("Så et fælles indkald"),
    "plan_run_view": _l("Så en planlægningskørsel"),
    "api_obligations_viewed": _l("Hentede forpligtelser via API"),
    "law_changes_viewed": _l("Så lovændringer for borger"),
    # bookings and conversations
    "booking_created": _l("Booking oprettet"),
    "booking_moved": _l("Booking flyttet"),
    "booking_cancelled": _l("Booking aflyst"),
    "booking_outcome_recorded": _l("Fremmøde registreret"),
    "booking_outcome_undone": _l("Registrering af fremmøde fortrudt"),
    "callin_session_planned": _l("Fælles indkald planlagt"),
    "callin_invited": _l("Indkaldt til fælles indkald"),
    "callin_checked_in": _l("Mødt ved fælles indkald"),
    "callin_no_show": _l("Udeblev fra fælles indkald"),
    "callin_served": _l("Samtale holdt ved fælles indkald"),
    # programmes and obligations
    "target_group_changed": _l("Målgruppe ændret"),
    "programme_pause_added": _l("Pause i forløb tilføjet"),
    "programme_pause_ended": _l("Pause i forløb afsluttet"),
    "obligation_exempted": _l("Samtale fritaget"),
    "obligation_exemption_revoked": _l("Fritagelse tilbagekaldt"),
    # planning
    "plan_run_accepted": _l("Plan godkendt"),
    "rehab_accepted": _l("Rehabiliteringsplan godkendt"),
    "rehab_material_sent": _l("Mødemateriale sendt"),
    "rehab_moved": _l("Sag flyttet til andet rehabiliteringsmøde"),
    "rehab_replanned": _l("Rehabiliteringsmøder genplanlagt"),
    "rehab_scenario_created": _l("Scenarie for rehabiliteringsteam oprettet"),
    "whatif_created": _l("Hvad-nu-hvis-beregning oprettet"),
    "rehab_replan_requested": _l("Bad om genplanlægning af rehabiliteringsmøder"),
    "rehab_replan_started": _l("Genplanlægning af rehabiliteringsmøder startet"),
    "rehab_replan_failed": _l("Genplanlægning af rehabiliteringsmøder mislykkedes"),
    "rehab_schedule_added": _l("Fast rehabiliteringsmøde tilføjet"),
    "rehab_meetings_generated": _l("Rehabiliteringsmøder dannet"),
    "rehab_closure_added": _l("Lukkedag for rehabiliteringsteamet tilføjet"),
    "rehab_closures_imported": _l("Lukkedage for rehabiliteringsteamet importeret"),
    # look-ups, lists and exports
    "citizen_lookup_miss": _l("Slog CPR-nummer op uden fund"),
    "weekly_list_view": _l("Så ugelisten"),
    "weekly_list_export": _l("Eksporterede ugelisten"),
    "callin_central_list_export": _l("Eksporterede listen til central booking"),
    "callin_checkin_undone": _l("Fremmøde ved fælles indkald fortrudt"),
    # the caseworker's time
    "work_template_saved": _l("Arbejdstid gemt"),
    "absence_added": _l("Fravær tilføjet"),
    "absence_removed": _l("Fravær slettet"),
    "absences_imported": _l("Fravær importeret fra kalenderfil"),
    "booking_cancelled_for_absence": _l("Booking aflyst på grund af fravær"),
    "calendar_feed_rotated": _l("Nyt link til kalenderfeed"),
    # the JSON API
    "api_key_issued": _l("API-nøgle udstedt"),
    "api_key_revoked": _l("API-nøgle tilbagekaldt"),
    "api_citizen_read": _l("Borger hentet via API"),
    "api_citizen_lookup": _l("Borger slået op på CPR-nummer via API"),
    "api_citizen_lookup_miss": _l("CPR-nummer slået op via API uden fund"),
    "api_citizen_created": _l("Borger oprettet via API"),
    "api_history_added": _l("Samtale registreret via API"),
    # imports
    "import.units": _l("Importerede enheder"),
    "import.caseworkers": _l("Importerede sagsbehandlere"),
    "import.citizens": _l("Importerede borgere"),
    "import.programmes": _l("Importerede forløb"),
    "import.history": _l("Importerede samtalehistorik"),
    "import.absences": _l("Importerede fravær"),
}


def message(err: ServiceError) -> str:
    return translate(err, MESSAGES)


def action_label(code: str) -> str:
    """The action in words; an unknown code as itself."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def role_label(role: Role) -> str:
    return str(ROLES.get(role, role.value))


def actor_kind_label(kind: ActorKind) -> Any:
    return ACTOR_KINDS.get(kind, kind.value)
