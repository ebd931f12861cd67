"""Indicators, flows and the characterisation matrix C of a model (impact methods for
elementary flows through :mod:`lca.methods`)."""

from __future__ import annotations

from dataclasses import replace

import scipy.sparse as sp

from lca.compile.factors import _at
from lca.errors import LcaError, Place, Problem, UnitError, problems_of
from lca.indicators import Indicator, default_indicators, get_indicator
from lca.model.records import Activity, Flow, Model


def _indicators(model: Model) -> list[Indicator]:
    if model.info.get("methods") or any(f.is_elementary for f in model.flows.values()):
        # elementary flows or method categories: lca.methods, which needs bw2io's data
        from lca.methods import model_indicators, model_methods

        indicators = model_indicators(default_indicators(), model_methods(model))
        by_code = {i.code: i for i in indicators}
        codes = model.info.get("indicators")
        return [by_code.get(c) or get_indicator(c) for c in codes] if codes else indicators
    codes = model.info.get("indicators")
    if codes:
        return [get_indicator(c) for c in codes]
    return default_indicators()


def _flows(
    model: Model, indicators: list[Indicator], problems: list[Problem] | None = None
) -> dict[str, Flow]:
    """The flows of the biosphere: a pre-characterised flow per indicator, then the model's.

    An elementary flow (with categories or a UUID) is characterised by the indicators'
    method categories (:mod:`lca.methods`); a flow the methods cannot characterise (unknown,
    or a unit that does not convert) is a problem at that flow, added to ``problems``.
    """
    flows = {i.code: Flow(i.code, i.name, i.unit_text, {i.code: 1.0}) for i in indicators}
    codes = {i.code for i in indicators}
    categories = None
    for flow in model.flows.values():
        if flow.code in flows:
            continue
        if flow.is_elementary:  # characterised by the indicators' method categories
            from lca.methods import categories_for, characterised_flow, model_methods

            if categories is None:
                categories = categories_for(indicators, model_methods(model))
            try:
                flow = characterised_flow(flow, indicators, categories)
            except LcaError as exc:
                field_name = "unit" if isinstance(exc, UnitError) else "name"
                found = [
                    _at(replace(p, where=""), Place("flow", flow.code), field_name) for p in problems_of(exc)
                ]
                if problems is None:
                    raise type(exc)(found) from None
                problems.extend(found)
                continue
        flows[flow.code] = replace(flow, factors={k: v for k, v in flow.factors.items() if k in codes})
    return flows


def _characterisation(flows: dict[str, Flow], indicators: list[Indicator]) -> sp.csr_matrix:
    ind_index = {ind.code: i for i, ind in enumerate(indicators)}
    rows, cols, values = [], [], []
    for k, flow in enumerate(flows.values()):
        for code, factor in flow.factors.items():
            if code in ind_index:
                rows.append(ind_index[code])
                cols.append(k)
                values.append(float(factor))
    return sp.csr_matrix((values, (rows, cols)), shape=(len(indicators), len(flows)))


def _missing(activities: list[Activity], indicators: list[Indicator]) -> dict[str, tuple[str, ...]]:
    codes = {i.code for i in indicators}
    missing: dict[str, list[str]] = {}
    for act in activities:
        for code in act.missing:
            if code in codes:
                missing.setdefault(code, []).append(act.code)
    return {k: tuple(v) for k, v in missing.items()}
