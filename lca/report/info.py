"""The ``info`` fields of an inventory that a report reads, each with an example.

One list serves the report (:mod:`lca.report.frugality`), the user guide and the README
sheet of the workbook template (:mod:`lca.io.excel_write`), so a practitioner who fills
the template finds every field the report will show.

Examples
--------
>>> [f.key for f in INFO_FIELDS][:3]
['goal', 'excluded_phases', 'model_public']
>>> FIELDS["need"].where
'frugality'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InfoField:
    """One ``info`` key: where the report shows it, what it holds, an example value."""

    key: str
    where: str
    meaning: str
    example: str


#: Families of good practices of AFNOR SPEC 2314 (2024), the rows of the report's table of
#: practices; key -> what the family asks. The specification details 31 practices in them.
PRACTICE_FAMILIES = {
    "skills": "Skills: the teams are trained in, and aware of, frugal AI",
    "need": "Need: AI is shown to be relevant to the need (a solution without AI was considered)",
    "data": "Data: only the data needed are collected, kept and processed, and this is reviewed",
    "model": "Model: its size and inference cost are optimised in operation, and this is reviewed",
    "equipment": "Equipment: the hardware the service needs is assessed and its use optimised "
    "(lifetime, utilisation, location)",
    "measurement": "Measurement: the environmental impact is measured with tools, and what is learnt "
    "is shared",
}
#: Kinds of second-order effect (rows of the report's table of effects): key -> meaning.
EFFECT_KINDS = {
    "rebound": "Rebound: a cheaper or faster service is used more, and the total grows",
    "induced": "Induced uses: new equipment, data or services that the AI calls for",
    "substitution": "Substitution: impacts avoided elsewhere (a process replaced or optimised)",
    "path_dependency": "Path dependency: the service prolongs the current system rather than alternatives",
}

INFO_FIELDS = (
    InfoField(
        "goal", "goal and scope", "why the assessment is made", "Compare a 7B and a 70B model for our FAQ"
    ),
    InfoField(
        "excluded_phases",
        "goal and scope",
        "mapping phase -> why it is outside the system boundary",
        "{transport: not reported, end_of_life: cut-off}",
    ),
    InfoField("model_public", "card 1", "is the resulting model publicly available?", "yes (https://...)"),
    InfoField("training_time", "card 2", "training time of the final model", "118 days"),
    InfoField(
        "experiments_time", "card 3", "time of all experiments, incl. hyperparameter search", "30 days"
    ),
    InfoField(
        "power",
        "card 4",
        "power of the GPUs and CPUs (default: the parameters whose unit is a power, e.g. W)",
        "8 A100 GPUs, 400 W each; 2 CPUs, 280 W each",
    ),
    InfoField("location_training", "card 5", "where the training ran", "Jean Zay, IDRIS, France"),
    InfoField("location_deployment", "card 5", "where the inference runs", "GCP us-central1"),
    InfoField(
        "energy_mix",
        "card 6",
        "energy mix in g CO2 eq/kWh (default: computed for every activity whose unit is kWh)",
        "57 g CO2 eq/kWh (French grid)",
    ),
    InfoField(
        "training_activity",
        "card 7",
        "code of the activity of the final training run (its CO2 eq is computed, with its band)",
        "bloom_training",
    ),
    InfoField(
        "experiments_co2", "card 8", "CO2 eq of all experiments (text with its unit)", "about 120 t CO2 eq"
    ),
    InfoField(
        "inference_activity",
        "card 9",
        "code of the activity of one inference (its CO2 eq is computed, with its band)",
        "bloom_request",
    ),
    InfoField("positive_impact", "card 10", "positive environmental impact expected", "none expected"),
    InfoField("comments", "card 11", "comments", "Inference per sample is the deployment share only."),
    InfoField(
        "need", "frugality", "the need served, and why AI is needed for it", "Answer customer questions"
    ),
    InfoField(
        "functional_unit_questioned",
        "frugality",
        "is this functional unit (and the need) the right one?",
        "One answer; fewer answers would serve the need if the FAQ were clearer",
    ),
    InfoField(
        "alternatives",
        "frugality",
        "alternatives for the same functional unit: a text, or a list of {name, inventory: FILE} "
        "or {name, activity: CODE}, which the report computes and compares",
        "[{name: 7B model, inventory: small.yaml}, {name: FAQ search without AI, activity: faq_search}]",
    ),
    InfoField(
        "second_order_effects",
        "frugality",
        "indirect effects: a mapping of " + ", ".join(EFFECT_KINDS) + " to text, or a list of texts",
        "{rebound: cheaper answers may multiply the requests}",
    ),
    InfoField(
        "good_practices",
        "frugality",
        "the AFNOR SPEC 2314 families of good practices ("
        + ", ".join(PRACTICE_FAMILIES)
        + "): a mapping family -> 'applied: how', 'not applied: why' or 'not relevant: why'",
        "{equipment: 'applied: trained on a low-carbon grid', skills: 'not applied: no training yet'}",
    ),
    InfoField(
        "good_practices_applied",
        "frugality",
        "a list of good practices applied",
        "[Training on a low-carbon grid]",
    ),
    InfoField(
        "good_practices_not_applied",
        "frugality",
        "a list of good practices not applied, and why",
        "[Deployment in a carbon-intensive region: the API was already there]",
    ),
)
FIELDS = {f.key: f for f in INFO_FIELDS}

__all__ = ["EFFECT_KINDS", "FIELDS", "INFO_FIELDS", "PRACTICE_FAMILIES", "InfoField"]
