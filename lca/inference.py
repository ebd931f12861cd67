"""Serving a model: energy, hardware and a share of the training per request.

Per-request energy is either **measured** (define ``request_it_energy``, e.g. a CodeCarbon
run's kWh divided by the requests it served, and ``request_time``, the server time per
request) or **modelled** from the model and its hardware, as memory-bound decoding plus
compute-bound prefill (the roofline view of transformer inference, Pope et al. 2022,
"Efficiently Scaling Transformer Inference", arXiv:2211.05102):

* each decoding step reads the weights it touches and the KV cache of the batch:
  ``weights_read = min(total_params, active_params x batch_size) x bytes_per_param``
  (a mixture of experts reads the experts its batch routes to, at most all of them),
  ``kv_read = batch_size x context_tokens x kv_bytes_per_token``;
* ``step_time = (weights_read + kv_read) / (n_gpu x gpu_bandwidth x bandwidth_utilisation)``,
  and a step gives one token to each of the ``batch_size`` requests;
* prefill: ``2 x active_params x input_tokens`` operations at
  ``n_gpu x gpu_flops x flops_utilisation``;
* ``request_time = output_tokens x step_time / batch_size + prefill_time``: the time the
  replica's ``n_gpu`` GPUs spend on one request;
* ``request_it_energy = request_time x (n_gpu x gpu_power + n_gpu / gpus_per_server x host_power)``.

The request (phase ``deployment``) draws ``request_it_energy`` and its data-centre overhead
``x (PUE - 1)`` from the grid, on-site water ``request_it_energy x wue``, and the GPUs and
the server amortised over their lifetime (``lca.hardware``'s method): ``n_gpu x request_time``
GPU-hours and ``n_gpu / gpus_per_server x request_time`` server-hours. It may carry a share
of a training run, ``1 / requests_lifetime`` run, in its own activity of phase ``training``.

Examples
--------
Gpt-oss-120b on one H100 (the shipped example's central inputs): 0.28 s of GPU time and
about 0.077 Wh of IT energy per request of 500 output tokens.

>>> import lca
>>> model = lca.load(lca.datasets_dir() / "examples" / "llm_inference_h100.yaml")
>>> values = evaluate(model)
>>> round(float(values["request_time"].to("s").magnitude), 4)
0.2804
>>> round(float(values["request_it_energy"].to("Wh").magnitude), 4)
0.0769
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pint

from lca.data.resolve import dataset_activity
from lca.errors import InventoryError
from lca.model.formulas import Formula
from lca.model.records import Activity, Exchange, Model, Parameter
from lca.units import Q_, parse_unit

#: Inputs of the modelled energy: name -> (unit, meaning).
INPUTS: dict[str, tuple[str, str]] = {
    "active_params": ("", "parameters used per token (all of them for a dense model)"),
    "total_params": ("", "parameters held in memory"),
    "bytes_per_param": ("byte", "stored size of one parameter (2 for BF16, about 0.56 for MXFP4)"),
    "kv_bytes_per_token": ("byte", "KV cache per token: 2 x layers x KV heads x head size x bytes"),
    "input_tokens": ("", "prompt tokens per request"),
    "output_tokens": ("", "generated tokens per request"),
    "batch_size": ("", "requests decoded together"),
    "n_gpu": ("", "GPUs of one model replica"),
    "gpu_bandwidth": ("TB/s", "memory bandwidth of one GPU"),
    "bandwidth_utilisation": ("", "share of the bandwidth decoding achieves"),
    "gpu_flops": ("1/s", "dense operations per second of one GPU"),
    "flops_utilisation": ("", "share of them prefill achieves"),
    "gpu_power": ("W", "mean power of one GPU while serving"),
    "host_power": ("W", "power of one server without its GPUs"),
    "gpus_per_server": ("", "GPUs in one server"),
}
#: The method, in evaluation order: name -> (formula, unit).
FORMULAS: dict[str, tuple[str, str]] = {
    "context_tokens": ("input_tokens + output_tokens / 2", ""),
    "weights_read": ("min(total_params, active_params * batch_size) * bytes_per_param", "GB"),
    "kv_read": ("batch_size * context_tokens * kv_bytes_per_token", "GB"),
    "step_time": ("(weights_read + kv_read) / (n_gpu * gpu_bandwidth * bandwidth_utilisation)", "ms"),
    "prefill_time": ("2 * active_params * input_tokens / (n_gpu * gpu_flops * flops_utilisation)", "ms"),
    "request_time": ("output_tokens * step_time / batch_size + prefill_time", "s"),
    "request_it_energy": ("request_time * (n_gpu * gpu_power + n_gpu / gpus_per_server * host_power)", "Wh"),
}
#: Needed in both modes: the facility, the hardware's life and, for a training share, the requests.
SERVICE = ("pue", "wue", "utilisation", "lifetime_gpu", "lifetime_server")


def add_inference(
    model: Model,
    *,
    grid: str,
    gpu: str,
    server: str,
    training: str | None = None,
    code: str = "request",
    per: str = "request",
) -> Activity:
    """Add one request (phase ``deployment``, unit ``request``) and what it uses to ``model``.

    Parameters
    ----------
    model : Model
        Holds the inputs: :data:`INPUTS` (or ``request_it_energy`` and ``request_time``
        when measured) and :data:`SERVICE`; ``requests_lifetime`` with ``training``.
        The formulas of :data:`FORMULAS` the model lacks are added.
    grid, gpu, server : str
        Dataset entries: the grid mix (``grid/US``), the GPU and the server (``hardware/...``).
    training : str, optional
        Code of a training run (unit ``run``) of which each request carries
        ``1 / requests_lifetime``, in activity ``<code>_training`` (phase ``training``).
    per : str
        The activity returned, for the functional unit: ``request``; ``1000 tokens``
        (``<code>_1000_tokens``: ``1000 / output_tokens`` requests); or ``year`` of service
        (``<code>_year``: ``requests_per_year`` requests, a parameter of the model).

    Raises
    ------
    InventoryError
        Naming the inputs the model lacks.
    """
    measured = {"request_it_energy", "request_time"} <= set(model.parameters)
    needed = [*SERVICE, *([] if measured else INPUTS), *(["requests_lifetime"] if training else [])]
    lacking = [n for n in needed if n not in model.parameters]
    if lacking:
        raise InventoryError(f"inference: the model lacks parameter(s) {', '.join(lacking)}")
    if not measured:
        for name, (formula, unit) in FORMULAS.items():
            if name not in model.parameters:
                model.add_parameter(Parameter(name, formula, unit, comment="lca.inference method"))
    grid_code = _from_dataset(model, grid, None)
    gpu_code = _from_dataset(model, gpu, "manufacturing")
    server_code = _from_dataset(model, server, "manufacturing")
    exchanges = [
        Exchange(grid_code, "request_it_energy", "kWh", comment="IT energy of the replica for one request"),
        Exchange(grid_code, "request_it_energy * (pue - 1)", "kWh", comment="data-centre overhead"),
        Exchange("WATER", "request_it_energy * wue", "L", comment="on-site cooling water (WUE x IT energy)"),
        Exchange(gpu_code, "n_gpu * request_time", "h", lifetime="lifetime_gpu", utilisation="utilisation"),
        Exchange(
            server_code,
            "n_gpu / gpus_per_server * request_time",
            "h",
            lifetime="lifetime_server",
            utilisation="utilisation",
        ),
    ]
    if training:
        share = model.add_activity(
            Activity(
                f"{code}_training",
                "training share of one request",
                "training",
                "request",
                [
                    Exchange(
                        training, "1 / requests_lifetime", "run", comment="training amortised over requests"
                    )
                ],
            )
        )
        exchanges.append(Exchange(share.code, 1, "request"))
    request = model.add_activity(Activity(code, "one inference request", "deployment", "request", exchanges))
    if per == "request":
        return request
    units = {"1000 tokens": ("1000_tokens", "1000 / output_tokens"), "year": ("year", "requests_per_year")}
    if per not in units:
        raise InventoryError(f"inference: per '{per}' is not one of request, {', '.join(units)}")
    suffix, amount = units[per]
    if per == "year" and "requests_per_year" not in model.parameters:
        raise InventoryError("inference: per year needs the parameter requests_per_year")
    name = f"{per} of service" if per == "year" else "1,000 generated tokens"
    return model.add_activity(
        Activity(f"{code}_{suffix}", name, "deployment", "unit", [Exchange(code, amount, "request")])
    )


def evaluate(model: Model) -> dict[str, pint.Quantity]:
    """The inputs and :data:`FORMULAS` of ``model``, evaluated at their central values.

    Only plain parameters are read (numbers with units, formulas over them); a hand check
    of the method without building matrices.
    """
    values: dict[str, Any] = {}
    pending = dict(model.parameters)
    while pending:
        progress = False
        for name, par in list(pending.items()):
            value = _value(par, values)
            if value is not None:
                values[name] = value
                del pending[name]
                progress = True
        if not progress:
            break
    return values


def _value(par: Parameter, known: Mapping[str, Any]) -> pint.Quantity | None:
    if isinstance(par.amount, float):
        return Q_(par.amount, parse_unit(par.unit, par.name))
    formula = Formula.parse(str(par.amount), par.name)
    if not formula.names <= set(known):
        return None
    result = formula.evaluate(known)
    result = result if isinstance(result, pint.Quantity) else Q_(result, "")
    return result.to(parse_unit(par.unit, par.name)) if par.unit else result


def _from_dataset(model: Model, ref: str, phase: str | None) -> str:
    code = ref.replace("/", "_")
    if code not in model.activities:
        model.add_activity(dataset_activity({"code": code, "dataset": ref, "phase": phase}, [], code))
    return code
