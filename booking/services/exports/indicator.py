"""The manager's timeliness indicator as an export: week by week per unit (or caseworker)
and for the whole municipality, the whole period, per unit and target group, and the targets.
Shares are fractions (the workbook shows them as percentages; the CSV as ``82,3``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ...settings import Settings
from ..manager_view import Count, ManagerView, Targets, manager_view
from ..timeliness import Grouping
from .lists import group_label
from .table import Column, Export, Sheet, Variant

LEVELS = {
    "goal": ("Målet nået", "Goal reached"),
    "interim": ("Delmålet nået", "Interim target reached"),
    "below": ("Under delmålet", "Below the interim target"),
    "none": ("", ""),
}
TOTAL = ("Hele kommunen", "Whole municipality")


def _level(targets: Targets, count: Count, variant: Variant) -> str | None:
    pair = LEVELS[targets.level(count.share)]
    return (pair[0] if variant == "da" else pair[1]) or None


def _who(by: Grouping) -> Column:
    return Column("Enhed", "Unit") if by == "unit" else Column("Sagsbehandler", "Caseworker")


def indicator_sheets(view: ManagerView, variant: Variant) -> list[Sheet]:
    total = TOTAL[0] if variant == "da" else TOTAL[1]
    counts = (Column("Samtaler med frist", "Conversations due", "int"),
              Column("Holdt rettidigt", "Held on time", "int"),
              Column("Andel rettidigt", "Share on time", "percent"),
              Column("Mod målene", "Against the targets"))
    weekly_cols = (Column("År", "Year", "int"), Column("Uge", "Week", "int"),
                   Column("Mandag", "Monday", "date"),
                   Column("Igangværende uge", "Current week"), _who(view.by), *counts)
    weekly = []
    for week in view.rows:
        head = [week.year, week.number, week.start, week.current]
        weekly.append([*head, total, week.total.due, week.total.on_time, week.total.share,
                       _level(view.targets, week.total, variant)])
        for entity in view.entities:
            c = week.cells.get(entity.key, Count())
            weekly.append([*head, entity.name, c.due, c.on_time, c.share,
                           _level(view.targets, c, variant)])
    period = [[total, view.municipality.due, view.municipality.on_time,
               view.municipality.share, _level(view.targets, view.municipality, variant)]]
    for entity in view.entities:
        c = view.totals[entity.key]
        period.append([entity.name, c.due, c.on_time, c.share, _level(view.targets, c,
                                                                        variant)])
    group_cols = (Column("Enhed", "Unit"), Column("Målgruppe", "Target group"),
                  Column("Samtaler med frist", "Conversations due", "int"),
                  Column("Holdt rettidigt", "Held on time", "int"),
                  Column("Andel rettidigt", "Share on time", "percent"),
                  Column("Lovens andel (mindst)", "The law's share (at least)", "percent", 0),
                  Column("Andel under lovens krav", "Share under the law's rule", "percent"),
                  Column("Fritagne borgere", "Exempted citizens", "int"),
                  Column("Borgere i målgruppen", "Citizens in the group", "int"))
    groups = [[g.unit_name, group_label(g.group, variant), g.due, g.on_time, g.share,
               g.min_share, g.law_share, g.exemptions.exempted, g.exemptions.citizens]
              for g in view.groups]
    t = view.targets
    target_cols = (Column("Mål", "Target"), Column("Andel", "Share", "percent", 0),
                   Column("Gælder fra", "Applies from", "date"))
    targets: list[list[object]] = [
        ["Delmål" if variant == "da" else "Interim target", t.interim, None],
        ["Mål" if variant == "da" else "Goal", t.goal, None],
    ]
    if t.law is not None:
        targets.insert(0, ["Lovens andel af målgruppen" if variant == "da"
                           else "The law's share of the group", t.law, t.law_from])
    return [
        Sheet("Uge for uge", "Week by week", weekly_cols, weekly),
        Sheet("Hele perioden", "Whole period", (_who(view.by), *counts), period),
        Sheet("Målgrupper", "Target groups", group_cols, groups),
        Sheet("Mål", "Targets", target_cols, targets),
    ]


def indicator_export(session: Session, settings: Settings, today: date, *, weeks: int,
                     by: Grouping, variant: Variant = "da") -> Export:
    """The manager page's figures (:func:`.manager_view.manager_view`). Reads only."""
    view = manager_view(session, settings.targets, today, weeks=weeks, by=by,
                        exemption_warn_share=settings.rules.exemption_warn_share)
    stem = f"rettidighed-{view.weeks}-uger" + ("" if by == "unit" else "-sagsbehandlere")
    return Export(stem, today, indicator_sheets(view, variant))
