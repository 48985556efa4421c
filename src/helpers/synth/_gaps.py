"""The planted gaps in words, with their sources, for datasets/README.md and the book page.

Each :class:`Gap` names the outcome, the groups, the size, the months, any intervention and
the published source of the effect size. Its exact values are the :class:`~._planted.Planted`
records with the same ``gap_id`` (and ids that start with it, such as ``"P1-language"``).
``refs`` are BibTeX keys of ``book/_datasets_refs.bib`` (or ``book/references.bib``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GAPS", "REFERENCES", "Gap"]


@dataclass(frozen=True)
class Gap:
    """One planted gap, documented."""

    gap_id: str
    dataset: str
    title: str
    what: str
    source: str
    refs: tuple[str, ...]


GAPS: tuple[Gap, ...] = (
    Gap(
        "P1", "patients", "Blood-pressure control by race/ethnicity, language and payer",
        "Among patients with hypertension, blood pressure is controlled (below 140/90) for 64% of White "
        "patients but 54% of Black, 55% of Hispanic/Latino and 53% of Asian and AIAN patients: gaps of "
        "9 to 11 percentage points (exact, calibrated). Within every group, needing an interpreter lowers "
        "the odds of control (odds ratio 0.65), as do Medicaid (0.78) and having no insurance (0.50); "
        "the implied rates by interpreter need and payer are in the table (P1-language, P1-payer). "
        "A 2024 snapshot.",
        "Aggarwal et al. (NHANES 2013-2018) report age-adjusted control of 49.0% for White adults with "
        "hypertension against 39.2% (Black), 40.0% (Hispanic) and 37.8% (Asian): gaps of 9 to 11 points, "
        "which we keep at the higher level of a health-system registry whose patients are diagnosed. "
        "Limited English proficiency with an interpreter: adjusted odds ratio 1.88 for uncontrolled "
        "blood pressure (Kim et al.), about 0.53-0.68 for control; we use 0.65. Payer effects are "
        "assumptions in the direction of the literature.",
        ("aggarwal2021racial", "kim2017disparities"),
    ),
    Gap(
        "P2", "patients", "HbA1c control by race/ethnicity",
        "Among patients with diabetes, HbA1c is below 8% for 70% of White patients, 60% of Black, 59% of "
        "Hispanic/Latino, 55% of AIAN and 66% of Asian patients (exact). A 2024 snapshot.",
        "A meta-analysis found HbA1c 0.65 percentage points higher in African American than in "
        "non-Hispanic White adults with diabetes (Kirk et al.); Mexican American adults were less "
        "likely to meet HbA1c goals (Casagrande et al.). The 10-point gap is our translation of those "
        "differences into a control rate.",
        ("kirk2006disparities", "casagrande2013prevalence"),
    ),
    Gap(
        "P3", "patients", "Colorectal cancer screening by race/ethnicity, payer and language",
        "Among patients aged 45-75, 68% of White patients are up to date with colorectal cancer screening "
        "against 64% of Black, 57% of Asian, 55% of Hispanic/Latino and 52% of AIAN patients (exact). "
        "Within groups, no insurance (odds ratio 0.25), Medicaid (0.74), interpreter need (0.64) and "
        "age 45-49 (0.30, newly eligible since 2021) lower the odds (P3-payer, P3-language).",
        "NHIS 2015: White 65.6%, Black 60.3%, Asian 52.1%, Hispanic 47.4% (NCHS QuickStats). Uninsured "
        "adults 45-64 screened at 21.4% against 55.1% with private insurance (Healthy People 2030, "
        "2021 data); screening lowest at 50-54 (50.0%) and highest at 65-75 (79.2%) in 2018 (Joseph et "
        "al.). Latinos answering in Spanish: odds ratio 0.64 against English-speaking Latinos (Diaz et "
        "al.). Screening from age 45: USPSTF 2021.",
        ("nchs2016quickstats", "odphp2030crc", "joseph2020vital", "diaz2008effect", "uspstf2021colorectal"),
    ),
    Gap(
        "H1", "hypertension_monthly", "Black-White gap in blood-pressure control before the outreach",
        "In months 1-18 (January 2022 to June 2023) blood pressure is controlled for 64% of White and 54% "
        "of Black patients in every month (exact): a 10-point gap. Other groups as in P1.",
        "As P1 (Aggarwal et al.).",
        ("aggarwal2021racial",),
    ),
    Gap(
        "H2", "hypertension_monthly", "Outreach programme for Black patients halves the gap",
        "From month 19 (July 2023) a team-based outreach programme for Black patients with hypertension "
        "(community health workers, home blood-pressure monitors, pharmacist titration, culturally "
        "tailored self-management) raises Black patients' control to 56% in month 19, 58% in month 20 "
        "and 59% from month 21 to 36 (exact): the gap with White patients (64%, unchanged) halves from 10 "
        "to 5 points. The Spanish-language gap (H3) does not change: the programme did not reach it.",
        "Kaiser Permanente's population care management and team-based programme halved the Black-White "
        "gap in blood-pressure control, from 8.1 to 3.9 points (Bartolome et al.); we compress years into "
        "three months so that run-chart rules can see the shift.",
        ("bartolome2016population",),
    ),
    Gap(
        "H3", "hypertension_monthly", "Language gap in blood-pressure control",
        "Patients who prefer Spanish (log-odds -0.45) or another language than English (-0.35) have "
        "lower control in every clinic and month; the implied rates over 36 months are in the table.",
        "Limited English proficiency and uncontrolled blood pressure (Kim et al.).",
        ("kim2017disparities",),
    ),
    Gap(
        "C1", "cancer_screening", "Colorectal screening by race/ethnicity, crude and age-standardised",
        "Crude screening rates by race/ethnicity equal those of P3 (White 68%, Hispanic/Latino 55%; "
        "exact). Hispanic/Latino, Asian and Multiracial patients are younger and the 45-54 band screens "
        "least, so part of their gap is age: after direct standardisation to the 2000 US standard "
        "population (C1-age-standardised) their gap with White patients is smaller.",
        "As P3; 2000 US standard population from Klein and Schoenborn.",
        ("nchs2016quickstats", "joseph2020vital", "klein2001age"),
    ),
    Gap(
        "C2", "cancer_screening", "Colorectal screening by payer",
        "Uninsured patients screen far less (log-odds -1.4 within race/ethnicity and age), Medicaid "
        "somewhat less (-0.3); implied rates by payer are in the table.",
        "As P3 (Healthy People 2030: 21.4% uninsured against 55.1% privately insured).",
        ("odphp2030crc",),
    ),
    Gap(
        "A1", "hai", "Hospital-acquired infections by race/ethnicity",
        "Over 36 months and all units, White patients have 2.0 infections per 1,000 patient-days; Black, "
        "Hispanic/Latino and AIAN patients 2.6 (rate ratio 1.3), Asian and NHPI patients 2.8 (1.4), "
        "Multiracial 2.4 (1.2), Unknown 2.2 (1.1), Other 2.0 (exact).",
        "Chen et al. (Current Infectious Disease Reports, 2021) review higher HAI rates among patients of "
        "colour; in the Medicare Patient Safety Monitoring System the adjusted odds ratios against White "
        "patients were 1.1 (Black), 1.3 (Hispanic) and 1.4 (Asian) (Bakullari et al.). We use 1.3 for "
        "Black patients, in line with the device-associated infection studies Chen et al. review.",
        ("chen2021racial", "bakullari2014racial"),
    ),
    Gap(
        "A2", "hai", "Infection rates by unit",
        "Case-mix: the ICU rate is 2.5 times the Medical unit's, Step-down 1.4 and Surgical 1.2 times "
        "(implied rates in the table).",
        "An assumption reflecting device use and severity of illness; not a planted equity gap.",
        (),
    ),
    Gap(
        "A3", "hai", "A cluster in the Medical unit (special cause)",
        "In February 2023 (month 14) the Medical unit's infection rate is 2.5 times its usual rate (a "
        "C. difficile cluster): a planted special cause that a u-chart should flag.",
        "Illustrative, for the control-chart exercises of module 06.",
        (),
    ),
    Gap(
        "W1", "workforce_survey", "Experienced discrimination at work by race/ethnicity, before and after",
        "In wave 1 (March 2023), 45% of Black, 33% of Asian, 35% of AIAN, 30% of Hispanic/Latino and 12% "
        "of White staff report discrimination at work in the past 12 months (exact). After a year of the "
        "anti-racism programme (wave 2) the shares fall to 38%, 28%, 30% and 26% for staff of colour and "
        "11% for White staff (exact).",
        "In the 2021 survey of the National Commission to Address Racism in Nursing, 92% of Black, 73% of "
        "Asian and 69% of Hispanic nurses had personally experienced racism at work, against 63% of all "
        "nurses; our 12-month shares keep that ordering at a lower level (an assumption). The wave-2 "
        "decline is illustrative, not a published effect.",
        ("ana2022racism",),
    ),
    Gap(
        "W2", "workforce_survey", "Burnout by wave and role",
        "50% of respondents are burned out in wave 1 and 45% in wave 2 (exact); nurses and medical "
        "assistants most, administrative staff least (W2-role). Burnout differs little by race/ethnicity "
        "(slightly lower among Black, Hispanic/Latino and Asian staff), as in the literature.",
        "Physician burnout peaked at 62.8% in 2021 (Shanafelt et al.); physicians of colour reported lower "
        "burnout than White physicians (Garcia et al.) and a systematic review found the evidence on "
        "racial/ethnic differences inconclusive (Lawrence et al.). Single-item measure: Dolan et al.",
        ("shanafelt2022changes", "garcia2020burnout", "lawrence2022racial", "dolan2015using"),
    ),
    Gap(
        "W3", "workforce_survey", "Intent to leave",
        "32% of respondents intend to leave within two years in wave 1 and 28% in wave 2 (exact). Burnout "
        "multiplies the odds by 2.57 and experienced discrimination by 2, so staff who experienced "
        "discrimination intend to leave more often (W3-discrimination).",
        "Burnout odds ratio 2.57 for intent to leave (Sinsky et al., 20,665 US health care workers). The "
        "discrimination odds ratio is an assumption.",
        ("sinsky2021covid",),
    ),
    Gap(
        "S1", "sdoh_screening", "Screening completion by race/ethnicity",
        "72-77% of eligible patients in every race/ethnicity group are screened for social needs, but only "
        "55% of those whose race/ethnicity is Unknown (exact): where registration fails, so does screening.",
        "Illustrative: a data-quality lesson for module 02 and 08.",
        (),
    ),
    Gap(
        "S2", "sdoh_screening", "Food insecurity by race/ethnicity",
        "Among screened patients food insecurity is 8% for White, 21% for Black, 17% for Hispanic/Latino, "
        "23% for AIAN, 16% for NHPI, 18% for Multiracial and 5% for Asian patients (exact); it also rises "
        "with neighbourhood deprivation.",
        "USDA Economic Research Service estimates for US households, 2016-21 (AIAN 23.3%, Black 21.0%, "
        "multiracial 18.0-21.7%, Hispanic 16.9%, NHPI 15.6%, White 8.0%, Asian 5.4%).",
        ("usda2024foodinsecurity",),
    ),
    Gap(
        "S3", "sdoh_screening", "Social needs by neighbourhood deprivation",
        "The share of screened patients with any need rises steeply from the least to the most deprived "
        "decile (implied rates in the table); neighbourhoods with more needs also have lower "
        "blood-pressure control in patients.",
        "Area deprivation and health: Kind and Buckingham; screening domains of the Accountable Health "
        "Communities tool (Billioux et al.).",
        ("kind2018making", "billioux2017standardized"),
    ),
)  # fmt: skip

# Full citations, by BibTeX key (the same entries are in book/_datasets_refs.bib).
REFERENCES: dict[str, str] = {
    "aggarwal2021racial": "Aggarwal R, Chiu N, Wadhera RK, et al. Racial/ethnic disparities in hypertension "
    "prevalence, awareness, treatment, and control in the United States, 2013 to 2018. Hypertension. "
    "2021;78(6):1719-1726. doi:10.1161/HYPERTENSIONAHA.121.17570",
    "kim2017disparities": "Kim EJ, Kim T, Paasche-Orlow MK, Rose AJ, Hanchate AD. Disparities in "
    "hypertension associated with limited English proficiency. J Gen Intern Med. 2017;32(6):632-639. "
    "doi:10.1007/s11606-017-3999-9",
    "bartolome2016population": "Bartolome RE, Chen A, Handler J, Platt ST, Gould B. Population care "
    "management and team-based approach to reduce racial disparities among African Americans/Blacks "
    "with hypertension. Perm J. 2016;20(1):53-59.",
    "kirk2006disparities": "Kirk JK, D'Agostino RB Jr, Bell RA, et al. Disparities in HbA1c levels between "
    "African-American and non-Hispanic white adults with diabetes: a meta-analysis. Diabetes Care. "
    "2006;29(9):2130-2136. doi:10.2337/dc05-1973",
    "casagrande2013prevalence": "Casagrande SS, Fradkin JE, Saydah SH, Rust KF, Cowie CC. The prevalence of "
    "meeting A1C, blood pressure, and LDL goals among people with diabetes, 1988-2010. Diabetes Care. "
    "2013;36(8):2271-2279. doi:10.2337/dc12-2258",
    "nchs2016quickstats": "National Center for Health Statistics. QuickStats: Colorectal cancer screening "
    "among adults aged 50-75 years, by race/ethnicity - National Health Interview Survey, United States, "
    "2000-2015. MMWR Morb Mortal Wkly Rep. 2016;65(38):1042.",
    "odphp2030crc": "Office of Disease Prevention and Health Promotion. Healthy People 2030 objective C-07: "
    "Increase the proportion of adults who get screened for colorectal cancer (data for 2021). US "
    "Department of Health and Human Services.",
    "joseph2020vital": "Joseph DA, King JB, Dowling NF, Thomas CC, Richardson LC. Vital signs: colorectal "
    "cancer screening test use - United States, 2018. MMWR Morb Mortal Wkly Rep. 2020;69(10):253-259. "
    "doi:10.15585/mmwr.mm6910a1",
    "diaz2008effect": "Diaz JA, Roberts MB, Goldman RE, Weitzen S, Eaton CB. Effect of language on "
    "colorectal cancer screening among Latinos and non-Latinos. Cancer Epidemiol Biomarkers Prev. "
    "2008;17(8):2169-2173. doi:10.1158/1055-9965.EPI-07-2692",
    "uspstf2021colorectal": "US Preventive Services Task Force. Screening for colorectal cancer: US "
    "Preventive Services Task Force recommendation statement. JAMA. 2021;325(19):1965-1977. "
    "doi:10.1001/jama.2021.6238",
    "chen2021racial": "Chen J, Khazanchi R, Bearman G, Marcelin JR. Racial/ethnic inequities in "
    "healthcare-associated infections under the shadow of structural racism: narrative review and call "
    "to action. Curr Infect Dis Rep. 2021;23(10):17. doi:10.1007/s11908-021-00758-x",
    "bakullari2014racial": "Bakullari A, Metersky ML, Wang Y, et al. Racial and ethnic disparities in "
    "healthcare-associated infections in the United States, 2009-2011. Infect Control Hosp Epidemiol. "
    "2014;35(Suppl 3):S10-S16. doi:10.1086/677827",
    "ana2022racism": "National Commission to Address Racism in Nursing. Survey shows substantial racism in "
    "nursing. American Nurses Association; January 2022.",
    "shanafelt2022changes": "Shanafelt TD, West CP, Dyrbye LN, et al. Changes in burnout and satisfaction "
    "with work-life integration in physicians during the first 2 years of the COVID-19 pandemic. Mayo "
    "Clin Proc. 2022;97(12):2248-2258. doi:10.1016/j.mayocp.2022.09.002",
    "garcia2020burnout": "Garcia LC, Shanafelt TD, West CP, et al. Burnout, depression, career satisfaction, "
    "and work-life integration by physician race/ethnicity. JAMA Netw Open. 2020;3(8):e2012762. "
    "doi:10.1001/jamanetworkopen.2020.12762",
    "lawrence2022racial": "Lawrence JA, Davis BA, Corbette T, Hill EV, Williams DR, Reede JY. Racial/ethnic "
    "differences in burnout: a systematic review. J Racial Ethn Health Disparities. 2022;9(1):257-269. "
    "doi:10.1007/s40615-020-00950-0",
    "dolan2015using": "Dolan ED, Mohr D, Lempa M, et al. Using a single item to measure burnout in primary "
    "care staff: a psychometric evaluation. J Gen Intern Med. 2015;30(5):582-587. "
    "doi:10.1007/s11606-014-3112-6",
    "sinsky2021covid": "Sinsky CA, Brown RL, Stillman MJ, Linzer M. COVID-related stress and work intentions "
    "in a sample of US health care workers. Mayo Clin Proc Innov Qual Outcomes. 2021;5(6):1165-1173. "
    "doi:10.1016/j.mayocpiqo.2021.08.007",
    "nash2013psychometric": "Nash WP, Marino Carper TL, Mills MA, Au T, Goldsmith A, Litz BT. Psychometric "
    "evaluation of the Moral Injury Events Scale. Mil Med. 2013;178(6):646-652. "
    "doi:10.7205/MILMED-D-13-00017",
    "usda2024foodinsecurity": "USDA Economic Research Service. Household food insecurity across race and "
    "ethnicity in the United States, 2016-21. Economic Information Bulletin EIB-269; April 2024.",
    "kind2018making": "Kind AJH, Buckingham WR. Making neighborhood-disadvantage metrics accessible - the "
    "Neighborhood Atlas. N Engl J Med. 2018;378(26):2456-2458. doi:10.1056/NEJMp1802313",
    "billioux2017standardized": "Billioux A, Verlander K, Anthony S, Alley D. Standardized screening for "
    "health-related social needs in clinical settings: the Accountable Health Communities screening tool. "
    "NAM Perspectives. Washington, DC: National Academy of Medicine; 2017. doi:10.31478/201705b",
    "klein2001age": "Klein RJ, Schoenborn CA. Age adjustment using the 2000 projected U.S. population. "
    "Healthy People 2010 Statistical Notes, no. 20. Hyattsville, MD: National Center for Health "
    "Statistics; 2001.",
    "omb1997standards": "Office of Management and Budget. Revisions to the standards for the classification "
    "of federal data on race and ethnicity. Federal Register. 1997;62(210):58782-58790.",
    "omb2024spd15": "Office of Management and Budget. Revisions to OMB's Statistical Policy Directive "
    "No. 15: standards for maintaining, collecting, and presenting federal data on race and ethnicity. "
    "Federal Register. 2024;89(62):22182-22196.",
    "grasso2019required": "Grasso C, Goldhammer H, Funk D, et al. Required sexual orientation and gender "
    "identity reporting by US health centers: first-year data. Am J Public Health. "
    "2019;109(8):1111-1118. doi:10.2105/AJPH.2019.305130",
    "mcdowell2022sexual": "McDowell A, Myong C, Tevis D, Fung V. Sexual orientation and gender identity data "
    "reporting among U.S. health centers. Am J Prev Med. 2022;62(6):e325-e332. "
    "doi:10.1016/j.amepre.2021.12.017",
    "jones2024lgbtq": "Jones JM. LGBTQ+ identification in U.S. now at 7.6%. Gallup; March 13, 2024.",
    "wyatt2016achieving": "Wyatt R, Laderman M, Botwinick L, Mate K, Whittington J. Achieving health equity: "
    "a guide for health care organizations. IHI White Paper. Cambridge, MA: Institute for Healthcare "
    "Improvement; 2016.",
}
