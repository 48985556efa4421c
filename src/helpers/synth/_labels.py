"""Category labels shared by the datasets, in dictionary order.

The order of every tuple is the order of the categories in ``datasets/datapackage.json`` and
therefore the order of the categories that :func:`helpers.data.load_dataset` returns.
"""

from __future__ import annotations

# The combined race and ethnicity used for stratification (one category per person).
# Hispanic or Latino people of any race are "Hispanic/Latino"; the others are non-Hispanic.
RACE_ETHNICITY: tuple[str, ...] = (
    "AIAN",
    "Asian",
    "Black",
    "Hispanic/Latino",
    "NHPI",
    "White",
    "Multiracial",
    "Other",
    "Unknown",
)

RACE_ETHNICITY_MEANING: dict[str, str] = {
    "AIAN": "non-Hispanic American Indian or Alaska Native",
    "Asian": "non-Hispanic Asian",
    "Black": "non-Hispanic Black or African American",
    "Hispanic/Latino": "Hispanic or Latino, of any race",
    "NHPI": "non-Hispanic Native Hawaiian or Other Pacific Islander",
    "White": "non-Hispanic White",
    "Multiracial": "non-Hispanic, more than one race",
    "Other": "non-Hispanic, some other race",
    "Unknown": "race unknown or declined (and not recorded as Hispanic or Latino)",
}

# OMB 1997 minimum race categories, plus the registration system's extra answers.
RACE: tuple[str, ...] = (
    "American Indian or Alaska Native",
    "Asian",
    "Black or African American",
    "Native Hawaiian or Other Pacific Islander",
    "White",
    "More than one race",
    "Some other race",
    "Declined",
    "Unknown",
)

ETHNICITY: tuple[str, ...] = ("Hispanic or Latino", "Not Hispanic or Latino", "Declined", "Unknown")

# How a recorded race maps to the combined category when ethnicity is not Hispanic or Latino.
RACE_TO_COMBINED: dict[str, str] = {
    "American Indian or Alaska Native": "AIAN",
    "Asian": "Asian",
    "Black or African American": "Black",
    "Native Hawaiian or Other Pacific Islander": "NHPI",
    "White": "White",
    "More than one race": "Multiracial",
    "Some other race": "Other",
    "Declined": "Unknown",
    "Unknown": "Unknown",
}

SEX: tuple[str, ...] = ("Female", "Male", "Unknown")

GENDER_IDENTITY: tuple[str, ...] = (
    "Woman",
    "Man",
    "Transgender woman",
    "Transgender man",
    "Nonbinary",
    "Another gender identity",
    "Declined",
    "Not asked",
)

SEXUAL_ORIENTATION: tuple[str, ...] = (
    "Straight or heterosexual",
    "Lesbian or gay",
    "Bisexual",
    "Something else",
    "Don't know",
    "Declined",
    "Not asked",
)

LANGUAGE: tuple[str, ...] = (
    "English",
    "Spanish",
    "Chinese",
    "Vietnamese",
    "Haitian Creole",
    "Arabic",
    "Russian",
    "Portuguese",
    "American Sign Language",
    "Other",
    "Unknown",
)

# The monthly registry groups preferred language into three categories.
LANGUAGE_GROUP: tuple[str, ...] = ("English", "Spanish", "Other")

PAYER: tuple[str, ...] = ("Commercial", "Medicare", "Medicaid", "Uninsured", "Other")

# Age bands: the adult part of the 11 age groups of the 2000 US standard population.
AGE_GROUP: tuple[str, ...] = (
    "15-24",
    "25-34",
    "35-44",
    "45-54",
    "55-64",
    "65-74",
    "75-84",
    "85+",
)
AGE_BREAKS: tuple[int, ...] = (15, 25, 35, 45, 55, 65, 75, 85)

# Colorectal cancer screening file: the three standard bands inside the 45-74 range.
SCREENING_AGE_GROUP: tuple[str, ...] = ("45-54", "55-64", "65-74")

# 2000 US standard population (Klein and Schoenborn 2001), per million, for the adult bands.
US2000_STANDARD: dict[str, int] = {
    "15-24": 138_646,
    "25-34": 135_573,
    "35-44": 162_613,
    "45-54": 134_834,
    "55-64": 87_247,
    "65-74": 66_037,
    "75-84": 44_842,
    "85+": 15_508,
}

CLINIC: tuple[str, ...] = ("Eastside", "Harbor", "Northgate", "Westview")

# (name, deprivation decile, relative population size, home clinic)
NEIGHBOURHOODS: tuple[tuple[str, int, float, str], ...] = (
    ("Ashford", 1, 0.8, "Westview"),
    ("Cedar Park", 1, 1.0, "Northgate"),
    ("Highland", 2, 1.1, "Northgate"),
    ("Maple Heights", 2, 0.9, "Westview"),
    ("Glenwood", 3, 1.0, "Westview"),
    ("Lakeshore", 3, 1.2, "Northgate"),
    ("Oak Grove", 4, 1.0, "Westview"),
    ("Parkside", 4, 1.1, "Northgate"),
    ("Brookside", 5, 1.0, "Harbor"),
    ("Fairmount", 5, 1.2, "Northgate"),
    ("Elm Hollow", 6, 0.9, "Westview"),
    ("Bayview", 6, 1.1, "Harbor"),
    ("Millbrook", 7, 1.0, "Eastside"),
    ("Westfield", 7, 1.0, "Harbor"),
    ("Riverside", 8, 1.2, "Eastside"),
    ("Union Square", 8, 1.0, "Harbor"),
    ("Eastgate", 9, 1.3, "Eastside"),
    ("Harbor Point", 9, 1.0, "Harbor"),
    ("North End", 10, 1.1, "Eastside"),
    ("South Flats", 10, 1.3, "Eastside"),
)
NEIGHBOURHOOD: tuple[str, ...] = tuple(n[0] for n in NEIGHBOURHOODS)

UNIT: tuple[str, ...] = ("ICU", "Step-down", "Medical", "Surgical")

ROLE: tuple[str, ...] = (
    "Physician",
    "Advanced practice provider",
    "Registered nurse",
    "Medical assistant or patient care technician",
    "Environmental or food services",
    "Administrative or clerical",
    "Other clinical staff",
)

STAFF_GENDER: tuple[str, ...] = ("Woman", "Man", "Nonbinary or another gender", "Prefer not to say")

BURNOUT_LABELS: tuple[str, ...] = (
    "I enjoy my work; no symptoms of burnout",
    "Occasionally under stress, but not burned out",
    "Definitely burning out; one or more symptoms",
    "Symptoms of burnout that won't go away",
    "Completely burned out; may need help",
)

AGREEMENT_LABELS: tuple[str, ...] = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)

SELF_ASSESSMENT_COMPONENT: tuple[str, ...] = (
    "Make health equity a strategic priority",
    "Develop structure and processes",
    "Deploy specific strategies",
    "Decrease institutional racism",
    "Develop community partnerships",
)

SELF_ASSESSMENT_SCALE: tuple[str, ...] = (
    "Not started",
    "Planning",
    "Early implementation",
    "Implemented in parts of the organization",
    "Fully implemented and sustained",
)
