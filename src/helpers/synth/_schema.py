"""The data dictionary: one Frictionless Table Schema per dataset, with descriptions.

This module is the single source of the dictionary. :func:`helpers.synth.build_datapackage`
turns it into ``datasets/datapackage.json``; :func:`helpers.data.load_dataset` reads that file to
type the columns; the book page ``book/datasets.md`` is rendered from it.

Every field carries the standard Table Schema keys (``name``, ``type``, ``description``,
``constraints``, and ``categories`` / ``categoriesOrdered`` for categorical columns) plus one
extra key, ``simulation``, that says how the column was simulated.
"""

from __future__ import annotations

from typing import Any

from . import _labels as labels

__all__ = ["PACKAGE_META", "RESOURCES", "field"]

_OMB = "US OMB race and ethnicity standards (1997)"


def field(
    name: str,
    type_: str,
    description: str,
    *,
    simulation: str,
    categories: tuple[str, ...] | list[str] | None = None,
    labels: tuple[str, ...] | None = None,
    ordered: bool = False,
    required: bool = True,
    minimum: int | None = None,
    maximum: int | None = None,
    unique: bool = False,
) -> dict[str, Any]:
    """One Table Schema field descriptor.

    ``categories`` lists the allowed values of a categorical column in dictionary order;
    ``labels`` (for integer codes) gives one label per code ``minimum .. maximum``.

    Examples
    --------
    >>> field("sex", "string", "Recorded sex.", simulation="Draw.", categories=("F", "M"))["constraints"]
    {'required': True, 'enum': ['F', 'M']}
    """
    out: dict[str, Any] = {"name": name, "type": type_, "description": description}
    constraints: dict[str, Any] = {"required": required}
    if unique:
        constraints["unique"] = True
    if categories is not None:
        constraints["enum"] = list(categories)
        out["categories"] = list(categories)
        out["categoriesOrdered"] = ordered
    if labels is not None:
        if minimum is None:
            raise ValueError(f"field {name!r}: labels need a minimum code")
        codes = list(range(minimum, minimum + len(labels)))
        constraints["enum"] = codes
        out["categories"] = [{"value": c, "label": lab} for c, lab in zip(codes, labels, strict=True)]
        out["categoriesOrdered"] = ordered
    if minimum is not None:
        constraints["minimum"] = minimum
    if maximum is not None:
        constraints["maximum"] = maximum
    if type_ == "boolean":
        out["trueValues"] = ["true"]
        out["falseValues"] = ["false"]
    out["constraints"] = constraints
    out["simulation"] = simulation
    return out


def _binary(name: str, description: str, *, simulation: str, required: bool = True) -> dict[str, Any]:
    return field(
        name, "integer", description, simulation=simulation, required=required, minimum=0, maximum=1,
        labels=("No", "Yes"),
    )  # fmt: skip


def _race_ethnicity(simulation: str) -> dict[str, Any]:
    meaning = "; ".join(f"'{k}' = {v}" for k, v in labels.RACE_ETHNICITY_MEANING.items())
    return field(
        "race_ethnicity",
        "string",
        "Combined race and ethnicity for stratification, one category per person: "
        + meaning
        + ". 'White' is the usual reference group.",
        categories=labels.RACE_ETHNICITY,
        simulation=simulation,
    )


_MONTH = field(
    "month",
    "date",
    "First day of the calendar month the counts refer to (January 2022 to December 2024; 36 months).",
    simulation="36 months; every month is present for every clinic and unit.",
)

PATIENTS = [
    field("patient_id", "string", "Synthetic patient identifier ('P' and a zero-padded number). "
          "Not a medical record number; no real person.", simulation="Sequential.", unique=True),
    field("age", "integer", "Age in completed years on 31 December 2024.", minimum=18, maximum=100,
          simulation="18 + 82 x a Beta draw whose shape depends on the simulated self-identified group "
          "(Hispanic/Latino, Asian and Multiracial patients are younger on average)."),
    field("age_group", "string", "Age band of the 2000 US standard population (Klein and Schoenborn 2001). "
          "'15-24' holds adults aged 18-24 only, because the file has no children.",
          categories=labels.AGE_GROUP, ordered=True, simulation="Derived from age."),
    field("sex", "string", "Sex recorded at registration (administrative sex; it may have been updated "
          "to match gender identity).", categories=labels.SEX,
          simulation="56% Female, 43.8% Male, 0.2% Unknown."),
    field("gender_identity", "string", "Answer to the gender-identity question. 'Declined' = the patient "
          "chose not to answer; 'Not asked' = the question was never asked (blank in the source system).",
          categories=labels.GENDER_IDENTITY,
          simulation="Not asked for 30% of 18-year-olds rising to 55% at age 80; 5% of those asked decline; "
          "0.3% transgender women, 0.3% transgender men, 0.4% nonbinary (more at younger ages)."),
    field("sexual_orientation", "string", "Answer to the sexual-orientation question. 'Declined' = chose "
          "not to answer; 'Not asked' = never asked; 'Don't know' is a valid answer.",
          categories=labels.SEXUAL_ORIENTATION,
          simulation="Not asked for 95% of those not asked gender identity and 8% of the others; 10% of "
          "those asked decline; about 6% of those who answer are lesbian, gay, bisexual or something else "
          "(more at younger ages)."),
    field("race", "string", f"Recorded race: the five minimum categories of the {_OMB}, 'More than one "
          "race', 'Some other race', and the non-answers 'Declined' (patient chose not to answer) and "
          "'Unknown' (not recorded).", categories=labels.RACE,
          simulation="Recorded correctly for 91.5% of non-Hispanic patients; Hispanic/Latino patients are "
          "recorded as White (34%), Some other race (33%), More than one race (6%) or leave it blank "
          "(22%), as in real registration data."),
    field("ethnicity", "string", f"Recorded ethnicity ({_OMB}).", categories=labels.ETHNICITY,
          simulation="90% of Hispanic/Latino and 93% of other patients are recorded correctly; the rest "
          "are 'Declined' or 'Unknown'."),
    _race_ethnicity("Derived from race and ethnicity with helpers.data.combine_race_ethnicity: Hispanic "
                    "or Latino ethnicity first, then the recorded race; Declined/Unknown race gives "
                    "'Unknown'."),
    field("preferred_language", "string", "Preferred language for health care, as recorded.",
          categories=labels.LANGUAGE,
          simulation="Depends on the self-identified group (e.g. 41% of Hispanic/Latino patients prefer "
          "Spanish); about 13% of patients prefer a language other than English."),
    field("interpreter_needed", "boolean", "The patient needs an interpreter (spoken or sign language) "
          "for clinical visits. Blank = not recorded.", required=False,
          simulation="85% of patients preferring a language other than English, every ASL user, 0.2% of "
          "English speakers; 1.5% not recorded."),
    field("payer", "string", "Primary payer. 'Medicare' includes Medicare Advantage and dual "
          "Medicare-Medicaid; 'Other' is TRICARE, VA, workers' compensation and similar.",
          categories=labels.PAYER,
          simulation="Medicare for most patients 65 and over; below 65, Medicaid and uninsured are more "
          "likely in deprived neighbourhoods and (for uninsured) among Hispanic/Latino patients."),
    field("clinic", "string", "Primary-care clinic the patient is attributed to.", categories=labels.CLINIC,
          simulation="85% the clinic serving the patient's neighbourhood, 15% any clinic."),
    field("neighbourhood", "string", "Neighbourhood of residence (fictional names).",
          categories=labels.NEIGHBOURHOOD,
          simulation="Residential segregation: Black and Hispanic/Latino patients more often live in "
          "high-deprivation neighbourhoods, White patients in low-deprivation ones."),
    field("deprivation_decile", "integer", "Area deprivation decile of the neighbourhood, like the state "
          "deciles of the Area Deprivation Index (Kind and Buckingham 2018): 1 = least deprived, "
          "10 = most deprived.", minimum=1, maximum=10,
          simulation="Fixed per neighbourhood (two neighbourhoods per decile)."),
    field("hypertension", "boolean", "Diagnosed hypertension (on the registry).",
          simulation="Logistic in age, higher among Black, AIAN and NHPI patients and with deprivation; "
          "about 33% overall."),
    field("diabetes", "boolean", "Diagnosed diabetes (type 1 or 2).",
          simulation="Logistic in age, higher among Hispanic/Latino, Black, AIAN, NHPI and Asian patients, "
          "with deprivation and with hypertension; about 12% overall."),
    _binary("bp_controlled", "Blood pressure controlled: 1 = last blood pressure of 2024 below 140/90 mmHg, "
            "0 = not. Blank (not applicable) for patients without hypertension, who are not in the "
            "measure's denominator.", required=False,
            simulation="Planted gap P1: rates by race_ethnicity calibrated exactly (White 64%, Black 54%); "
            "interpreter need, Medicaid, no insurance, deprivation, age under 45 and diabetes lower the "
            "chance within groups."),
    _binary("hba1c_controlled", "HbA1c controlled: 1 = most recent HbA1c of 2024 below 8.0%, 0 = not. "
            "Blank for patients without diabetes.", required=False,
            simulation="Planted gap P2: rates by race_ethnicity calibrated exactly (White 70%, Black 60%)."),
    _binary("crc_screened", "Up to date with colorectal cancer screening (e.g. colonoscopy in 10 years or "
            "a stool test in 1 year): 1 = yes, 0 = no. Blank outside the eligible ages 45-75 (USPSTF 2021).",
            required=False,
            simulation="Planted gap P3: rates by race_ethnicity calibrated exactly (White 68%, "
            "Hispanic/Latino 55%); lower at 45-49, without insurance and with interpreter need."),
]  # fmt: skip

HYPERTENSION_MONTHLY = [
    _MONTH,
    field("clinic", "string", "Primary-care clinic.", categories=labels.CLINIC,
          simulation="Clinic shares of visits 30/22/26/22%."),
    _race_ethnicity("Shares differ by clinic (Eastside serves more Black and Hispanic/Latino patients)."),
    field("language", "string", "Preferred language, grouped: English, Spanish, or any other language.",
          categories=labels.LANGUAGE_GROUP, simulation="Shares by race/ethnicity as in patients."),
    field("numerator", "integer", "Patients whose last blood pressure in the month was below 140/90 mmHg.",
          minimum=0,
          simulation="Binomial(denominator, p). Planted gaps H1-H3: Black 54% and White 64% in months "
          "1-18; outreach for Black patients from month 19 raises Black patients to 59% by month 21; "
          "Spanish- and other-language patients lower (log-odds -0.45 and -0.35) throughout."),
    field("denominator", "integer", "Patients with hypertension seen in the month. Combinations with no "
          "patients in a month have no row.", minimum=1,
          simulation="Poisson; about 2,600 visits a month with seasonal dips in summer and December."),
]  # fmt: skip

CANCER_SCREENING = [
    _race_ethnicity("Shares as in the patient population aged 45-74."),
    field("payer", "string", "Primary payer (as in patients).", categories=labels.PAYER,
          simulation="Medicare for 85% of 65-74-year-olds; below 65, shares by race/ethnicity."),
    field("age_group", "string", "Age band (2000 US standard population bands). The file covers ages 45-74 "
          "so that every band is a whole standard band; patients.csv covers 45-75.",
          categories=labels.SCREENING_AGE_GROUP, ordered=True,
          simulation="Hispanic/Latino, Asian and Multiracial groups are younger."),
    field("eligible", "integer", "Patients eligible for colorectal cancer screening in 2024 "
          "(denominator). Combinations with no eligible patients have no row.", minimum=1,
          simulation="Poisson, about 60,000 in total."),
    field("screened", "integer", "Eligible patients up to date with colorectal cancer screening (numerator).",
          minimum=0,
          simulation="Binomial. Planted gaps C1-C2: crude rates by race_ethnicity as in patients; 45-54 "
          "screen least (log-odds -0.9) and 65-74 most (+0.4); uninsured -1.4, Medicaid -0.3."),
]  # fmt: skip

HAI = [
    _MONTH,
    field("unit", "string", "Inpatient unit.", categories=labels.UNIT,
          simulation="About 1,800, 2,400, 7,200 and 4,200 patient-days a month (a hospital of about "
          "600 beds)."),
    _race_ethnicity("Shares of patient-days as in the inpatient population; 'Unknown' twice as common in the "
                    "ICU (patients too ill to answer at registration)."),
    field("infections", "integer", "Hospital-acquired infections (NHSN-reportable: CLABSI, CAUTI, "
          "C. difficile, surgical-site and similar) with onset in the month.", minimum=0,
          simulation="Poisson. Planted gaps A1-A3: rate per 1,000 patient-days White 2.0, Black and "
          "Hispanic/Latino 2.6 (x1.3), Asian 2.8 (x1.4); ICU x2.5; a cluster (x2.5) in the Medical unit in "
          "February 2023."),
    field("patient_days", "integer", "Patient-days in the unit in the month (the exposure). "
          "Combinations with no patient-days have no row.", minimum=1,
          simulation="Poisson, scaled by days in the month, 5% higher in winter."),
]  # fmt: skip

_LIKERT_NOTE = "1 = Strongly disagree ... 5 = Strongly agree."
WORKFORCE_SURVEY = [
    field("respondent_id", "string", "Anonymous respondent identifier ('W', wave, '-', number). Waves cannot "
          "be linked.", unique=True, simulation="Sequential within wave."),
    field("wave", "integer", "Survey wave: 1 = March 2023 (baseline), 2 = March 2024 (after a year of the "
          "anti-racism programme).", minimum=1, maximum=2, ordered=True,
          labels=("Wave 1 (March 2023)", "Wave 2 (March 2024)"),
          simulation="2,400 respondents in wave 1, 2,300 in wave 2."),
    field("role", "string", "Job role of the respondent.", categories=labels.ROLE,
          simulation="Registered nurses 30%, medical assistants / patient care technicians 18%, "
          "administrative 18%, physicians 10%, other clinical 10%, environmental or food services 8%, "
          "advanced practice providers 6%."),
    _race_ethnicity("Self-reported; composition differs by role (e.g. environmental services staff are "
                    "mostly Black and Hispanic/Latino, physicians mostly White and Asian)."),
    field("gender", "string", "Self-reported gender.", categories=labels.STAFF_GENDER,
          simulation="Share of women by role (88% of nurses, 45% of physicians); 1% nonbinary or another "
          "gender; 3% prefer not to say."),
    field("burnout", "integer", "Single-item burnout measure (Dolan et al. 2015): 1 = no symptoms ... "
          "5 = completely burned out.", minimum=1, maximum=5, ordered=True, labels=labels.BURNOUT_LABELS,
          simulation="Cumulative logit; higher for nurses and medical assistants and after discrimination; "
          "slightly lower among Black, Hispanic/Latino and Asian staff (Garcia et al. 2020)."),
    _binary("burned_out", "Burned out: 1 when burnout is 3 or more (the usual cut-off).",
            simulation="Planted gap W2: 50% in wave 1, 45% in wave 2."),
    field("mi_betrayal", "integer",
          "Moral injury: 'I feel betrayed by leaders I once trusted.' " + _LIKERT_NOTE,
          minimum=1, maximum=5, ordered=True, labels=labels.AGREEMENT_LABELS,
          simulation="The three items share a person-level factor linked to burnout and discrimination; "
          "worded after the Moral Injury Events Scale (Nash et al. 2013), not the validated instrument."),
    field("mi_witnessed", "integer", "Moral injury: 'I am troubled by things I saw others do at work that "
          "went against my values.' " + _LIKERT_NOTE, minimum=1, maximum=5, ordered=True,
          labels=labels.AGREEMENT_LABELS,
          simulation="As mi_betrayal, agreement slightly more common."),
    field("mi_self", "integer", "Moral injury: 'I am troubled by things I did at work that went against my "
          "values.' " + _LIKERT_NOTE, minimum=1, maximum=5, ordered=True, labels=labels.AGREEMENT_LABELS,
          simulation="As mi_betrayal, agreement less common."),
    _binary("intent_to_leave", "Likely or definitely intends to leave the organization within two years.",
            simulation="Planted gap W3: 32% in wave 1, 28% in wave 2; odds x2.57 with burnout (Sinsky et al. "
            "2021) and x2 after discrimination."),
    _binary("experienced_discrimination", "Experienced discrimination or racism at work in the past 12 "
            "months (from patients, colleagues or managers). Blank = 'prefer not to say'.", required=False,
            simulation="Planted gap W1: by race_ethnicity and wave, calibrated exactly (wave 1: Black 45%, "
            "White 12%; wave 2: Black 38%); 4% prefer not to say."),
]  # fmt: skip

SDOH_SCREENING = [
    field("neighbourhood", "string", "Neighbourhood of residence (as in patients).",
          categories=labels.NEIGHBOURHOOD,
          simulation="Every neighbourhood x race_ethnicity combination with patients is present."),
    field("deprivation_decile", "integer", "Area deprivation decile of the neighbourhood (as in patients): "
          "1 = least, 10 = most deprived.", minimum=1, maximum=10, simulation="Fixed per neighbourhood."),
    _race_ethnicity("As in patients."),
    field("eligible", "integer", "Adult patients with a primary-care visit in 2024 (the patients in "
          "patients.csv who live in the neighbourhood and belong to the group).", minimum=1,
          simulation="Counted from patients.csv."),
    field("screened", "integer", "Eligible patients screened for health-related social needs with the "
          "Accountable Health Communities tool (Billioux et al. 2017).", minimum=0,
          simulation="Planted gap S1: 72-77% in every group but 55% when race_ethnicity is Unknown."),
    field("any_need", "integer", "Screened patients with at least one need.", minimum=0,
          simulation="Planted gap S3: rises from about 17% in decile 1 to about 61% in decile 10."),
    field("food_insecurity", "integer", "Screened patients with food insecurity.", minimum=0,
          simulation="Planted gap S2: by race_ethnicity as in USDA household food-security estimates for "
          "2016-21 (White 8%, Black 21%, Hispanic/Latino 17%, AIAN 23%); rises with deprivation."),
    field("housing_instability", "integer", "Screened patients with housing instability or poor housing "
          "quality.", minimum=0, simulation="Rises with deprivation; higher among Black, AIAN and "
          "Hispanic/Latino patients."),
    field("transportation", "integer", "Screened patients whose lack of transport kept them from care or "
          "daily needs.", minimum=0, simulation="Rises with deprivation."),
    field("utilities", "integer", "Screened patients with difficulty paying utilities.", minimum=0,
          simulation="Rises with deprivation."),
    field("interpersonal_safety", "integer", "Screened patients reporting interpersonal violence or feeling "
          "unsafe.", minimum=0, simulation="Rises with deprivation."),
]  # fmt: skip

SELF_ASSESSMENT = [
    field("item_id", "string", "Item identifier: 'C', component number, '.', item number.", unique=True,
          simulation="Not simulated: written for this workbook."),
    field("component_number", "integer", "Number (1-5) of the framework component the item belongs to.",
          minimum=1, maximum=5, simulation="Not simulated."),
    field("component", "string", "Component of IHI's framework for achieving health equity (Wyatt et al. "
          "2016), short name.", categories=labels.SELF_ASSESSMENT_COMPONENT, ordered=True,
          simulation="Not simulated."),
    field("item", "string", "The statement a team rates, on the scale: "
          + "; ".join(f"{i} = {s}" for i, s in enumerate(labels.SELF_ASSESSMENT_SCALE, start=1)) + ".",
          simulation="Not simulated: the workbook's own wording, not a validated instrument."),
    field("evidence_example", "string", "What 'fully implemented' could look like, to anchor the rating.",
          simulation="Not simulated."),
]  # fmt: skip

_SYNTH_NOTE = (
    "Synthetic data for a fictional health system, generated by `python -m helpers.synth` with a fixed "
    "seed; no real person. Planted gaps are documented in datasets/README.md."
)

RESOURCES: list[dict[str, Any]] = [
    {
        "name": "patients",
        "title": "Adult primary-care patients",
        "description": "One row per adult patient: demographics (REaL and SOGI), payer, neighbourhood and "
        "deprivation, chronic conditions, and blood-pressure control, HbA1c control and colorectal "
        "screening. " + _SYNTH_NOTE,
        "fields": PATIENTS,
        "primaryKey": ["patient_id"],
    },
    {
        "name": "hypertension_monthly",
        "title": "Blood-pressure control by month",
        "description": "Monthly numerator and denominator of blood-pressure control by clinic, "
        "race/ethnicity and language, January 2022 to December 2024; an outreach programme from month 19 "
        "(July 2023) narrows the Black-White gap. " + _SYNTH_NOTE,
        "fields": HYPERTENSION_MONTHLY,
        "primaryKey": ["month", "clinic", "race_ethnicity", "language"],
    },
    {
        "name": "cancer_screening",
        "title": "Colorectal cancer screening counts",
        "description": "Eligible and screened counts for colorectal cancer screening (ages 45-74, 2024) by "
        "race/ethnicity, payer and age band. " + _SYNTH_NOTE,
        "fields": CANCER_SCREENING,
        "primaryKey": ["race_ethnicity", "payer", "age_group"],
    },
    {
        "name": "hai",
        "title": "Hospital-acquired infections",
        "description": "Hospital-acquired infections and patient-days by unit, race/ethnicity and month, "
        "January 2022 to December 2024. " + _SYNTH_NOTE,
        "fields": HAI,
        "primaryKey": ["month", "unit", "race_ethnicity"],
    },
    {
        "name": "workforce_survey",
        "title": "Staff survey, two waves",
        "description": "One row per staff respondent in two anonymous survey waves (2023, 2024): role, "
        "race/ethnicity, burnout and moral-injury items, intent to leave, experienced discrimination. "
        + _SYNTH_NOTE,
        "fields": WORKFORCE_SURVEY,
        "primaryKey": ["respondent_id"],
    },
    {
        "name": "sdoh_screening",
        "title": "Social-needs screening",
        "description": "Health-related social-needs screening results (2024) by neighbourhood and "
        "race/ethnicity; joins patients on neighbourhood. " + _SYNTH_NOTE,
        "fields": SDOH_SCREENING,
        "primaryKey": ["neighbourhood", "race_ethnicity"],
    },
    {
        "name": "self_assessment",
        "title": "Organisational self-assessment items",
        "description": "Item bank for the module-01 self-assessment: five statements for each of the five "
        "components of IHI's framework for achieving health equity, rated 1 (not started) to 5 (fully "
        "implemented and sustained). Text, not synthetic people.",
        "fields": SELF_ASSESSMENT,
        "primaryKey": ["item_id"],
        "responseScale": [
            {"value": i, "label": s} for i, s in enumerate(labels.SELF_ASSESSMENT_SCALE, start=1)
        ],
    },
]

PACKAGE_META: dict[str, Any] = {
    "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
    "name": "pursuing-equity-datasets",
    "title": "Pursuing Equity Workbook: synthetic datasets",
    "description": "Synthetic, stratified datasets for a fictional US health system, with documented "
    "planted gaps, for the exercises of the Pursuing Equity Workbook. No real person is in any file. "
    "Regenerate with `python -m helpers.synth --out datasets/`; see README.md for the planted gaps and "
    "their sources.",
    "version": "1.0.0",
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ],
    "contributors": [{"title": "The Pursuing Equity Workbook contributors", "roles": ["creator"]}],
    "keywords": ["health equity", "synthetic data", "quality improvement", "stratification"],
}
