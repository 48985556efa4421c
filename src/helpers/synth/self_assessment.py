"""``self_assessment``: item bank for the module-01 organisational self-assessment.

Five statements for each of the five components of IHI's framework for achieving health equity
(Wyatt et al. 2016). Each item is rated on one five-point implementation scale (see
``helpers.synth._labels.SELF_ASSESSMENT_SCALE``). The wording is this workbook's own, written
for the exercise; it is not a validated instrument and not IHI text.
"""

from __future__ import annotations

import pandas as pd

from . import _labels as labels

__all__ = ["ITEMS", "generate_self_assessment"]

# (component number, statement, what "fully implemented" looks like)
ITEMS: tuple[tuple[int, str, str], ...] = (
    (1, "Our board and senior leaders have named health equity as a strategic priority, in public.",
     "Equity appears in the mission or strategic plan and in board minutes."),
    (1, "Our strategic plan has measurable equity aims, each with an executive owner and a date.",
     "Aims such as 'close the Black-White gap in blood-pressure control by 2026'."),
    (1, "Leaders are held accountable for equity results.",
     "Equity goals in leaders' performance reviews or incentive plans."),
    (1, "Equity work has its own budget and protected staff time.",
     "A budget line and job descriptions that name equity work."),
    (1, "Leaders review quality and safety results stratified by race, ethnicity, language and other "
        "factors.",
     "A stratified dashboard is a standing item at leadership and board meetings."),
    (2, "A named team, with authority and resources, coordinates equity work across the organization.",
     "An equity office or council with a charter, staff and a reporting line to the CEO."),
    (2, "We collect self-reported race, ethnicity, language, sexual orientation and gender identity "
        "with a standard, trained process.",
     "Registration staff are trained; the share of 'unknown' and 'declined' is tracked by site."),
    (2, "We routinely stratify key quality measures and share the results inside the organization.",
     "Core measures are reported by race, ethnicity, language and payer every quarter."),
    (2, "Equity is built into how we choose, design and measure improvement projects.",
     "Project charters include an equity aim and stratified outcome measures."),
    (2, "Patients and community members take part in governance and improvement work for equity.",
     "A patient and family advisory council with seats on improvement teams."),
    (3, "We screen patients for health-related social needs and connect them with resources.",
     "Screening at every primary-care visit, with closed-loop referrals."),
    (3, "We run improvement projects aimed at specific gaps found by stratifying our data.",
     "At least one active project per service line targets a measured gap."),
    (3, "Patients who prefer a language other than English get qualified interpreters and "
        "translated materials at every point of care.",
     "Interpreter use is audited; key materials exist in the top languages of the population."),
    (3, "We design services with the people they serve.",
     "Hours, locations and programmes shaped by co-design with the communities affected."),
    (3, "We use our role as employer, purchaser and investor to benefit the communities we serve.",
     "Local hiring and purchasing targets and community investment."),
    (4, "We have examined our policies and procedures for racist or inequitable effects and changed "
        "those we found.",
     "An equity review of policies (e.g. scheduling, billing, security) with documented changes."),
    (4, "Our workforce, leadership and board reflect the communities we serve, and we track progress.",
     "Representation is reported by level each year against community demographics."),
    (4, "Staff can report discrimination or racism safely, and reports lead to action.",
     "A confidential reporting route with feedback to reporters and trend reports to leaders."),
    (4, "All staff receive training on racism, implicit bias and equity that is linked to their daily work.",
     "Training completion and follow-up practice changes are tracked."),
    (4, "Hiring, pay and promotion are reviewed regularly for inequities by race and ethnicity.",
     "An annual pay-equity and promotion analysis with corrective actions."),
    (5, "We have long-term partnerships with community organizations working on health and equity.",
     "Written agreements with community-based organizations lasting several years."),
    (5, "Community partners share decisions about priorities and resources, not only give advice.",
     "Partners hold voting seats or co-manage funds."),
    (5, "We share data with community partners to identify needs and track progress together.",
     "A data-sharing agreement and a shared dashboard."),
    (5, "We advocate, with our partners, for policies that address social and structural drivers of health.",
     "Joint testimony or campaigns on housing, food, transport or other policy."),
    (5, "We invest in the community beyond our own services.",
     "Investments in affordable housing, local businesses or community spaces."),
)  # fmt: skip


def generate_self_assessment() -> pd.DataFrame:
    """The item bank as a typed table (no randomness: the items are text, not synthetic people).

    Examples
    --------
    >>> items = generate_self_assessment()
    >>> items.groupby("component_number").size().tolist()
    [5, 5, 5, 5, 5]
    """
    counters: dict[int, int] = {}
    rows = []
    for component, statement, evidence in ITEMS:
        counters[component] = counters.get(component, 0) + 1
        rows.append(
            {
                "item_id": f"C{component}.{counters[component]}",
                "component_number": component,
                "component": labels.SELF_ASSESSMENT_COMPONENT[component - 1],
                "item": statement,
                "evidence_example": evidence,
            }
        )
    frame = pd.DataFrame(rows)
    frame["item_id"] = frame["item_id"].astype("str")
    frame["component_number"] = frame["component_number"].astype("int64")
    frame["component"] = pd.Categorical(
        frame["component"], categories=list(labels.SELF_ASSESSMENT_COMPONENT), ordered=True
    )
    frame["item"] = frame["item"].astype("str")
    frame["evidence_example"] = frame["evidence_example"].astype("str")
    return frame
