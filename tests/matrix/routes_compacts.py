from tests.matrix import CITY_CHANGE, CITY_READ, EDITOR_ANYWHERE, SIGNED_IN, SUPERUSER, Route

# lists (helper H3: /commitments/, /milestones/, /activities/ and their CSV exports)
LIST_ROUTES = [
    route
    for name in ("compacts:commitment_list", "compacts:milestone_list", "compacts:activity_list")
    for route in (Route(name, SIGNED_IN), Route(name, SIGNED_IN, query="export=csv"))
]

# records (helper H4: the compact page, the staff forms, the leadership change)
RECORD_ROUTES = [
    Route("compacts:compact", CITY_READ, kwargs=lambda w: {"pk": w.compact.pk}),
    Route("compacts:compact_create", EDITOR_ANYWHERE, post=True),
    Route("compacts:leadership_change", EDITOR_ANYWHERE, post=True),
    *(
        Route(f"compacts:{model}_create", CITY_CHANGE, kwargs=kwargs, post=True)
        for model, kwargs in (
            ("signatory", lambda w: {"parent_id": w.compact.pk}),
            ("participant", lambda w: {"parent_id": w.compact.pk}),
            ("commitment", lambda w: {"parent_id": w.compact.pk}),
            ("milestone", lambda w: {"parent_id": w.commitment.pk}),
            ("activity", lambda w: {"parent_id": w.compact.pk}),
            ("grant", lambda w: {"parent_id": w.compact.pk}),
        )
    ),
    *(
        Route(f"compacts:{model}_{action}", CITY_CHANGE, kwargs=kwargs, post=True)
        for model, kwargs in (
            ("compact", lambda w: {"pk": w.compact.pk}),
            ("signatory", lambda w: {"pk": w.signatory.pk}),
            ("participant", lambda w: {"pk": w.participant.pk}),
            ("commitment", lambda w: {"pk": w.commitment.pk}),
            ("milestone", lambda w: {"pk": w.milestone.pk}),
            ("activity", lambda w: {"pk": w.activity.pk}),
            ("grant", lambda w: {"pk": w.grant.pk}),
        )
        for action in ("edit", "delete")
    ),
    Route(
        "compacts:milestone_done", CITY_CHANGE, kwargs=lambda w: {"pk": w.milestone.pk}, post=True
    ),
]


def _seat_query(term) -> str:
    return f"organization={term.organization_id}&role={term.role}"


# Seats of organizations without a city (helper H3, issue 12 point 1): a network seat that
# signed only city X's compact belongs to city X; a seat that signed both cities' compacts is
# changed only by an editor of both (none of the personas) or a superuser.
SHARED_SEAT_ROUTES = [
    Route("compacts:leadership_seat", EDITOR_ANYWHERE),
    Route(
        "compacts:leadership_seat",
        CITY_CHANGE,
        query=lambda w: _seat_query(w.network_term),
    ),
    Route("compacts:term_edit", CITY_CHANGE, kwargs=lambda w: {"pk": w.network_term.pk}, post=True),
    Route(
        "compacts:term_edit",
        SUPERUSER,
        kwargs=lambda w: {"pk": w.shared_term.pk},
        post=True,
        query="next=/leadership/",
    ),
]

# spreadsheets (helper H7: a compact's XLSX download, and the upload/preview/confirm import)
SPREADSHEET_ROUTES = [
    Route("compacts:spreadsheet_export", CITY_READ, kwargs=lambda w: {"pk": w.compact.pk}),
    Route(
        "compacts:spreadsheet_import",
        CITY_CHANGE,
        kwargs=lambda w: {"pk": w.compact.pk},
        post=True,
    ),
]

# re-affirmations (helper H4 reaffirm: a successor recommits to the compact)
REAFFIRM_ROUTES = [
    Route(
        "compacts:signatory_reaffirm",
        CITY_CHANGE,
        kwargs=lambda w: {"pk": w.signatory.pk},
        post=True,
    ),
]

ROUTES = [
    *LIST_ROUTES,
    *RECORD_ROUTES,
    *SHARED_SEAT_ROUTES,
    *SPREADSHEET_ROUTES,
    *REAFFIRM_ROUTES,
]
