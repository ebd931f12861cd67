"""The safe arithmetic language of exchange amounts and parameters.

A formula is arithmetic over numbers and parameter names: ``+ - * / **``, unary minus,
parentheses, and the functions ``min``, ``max``, ``exp``, ``log``, ``log10``, ``sqrt`` and
``abs``. It is parsed with :mod:`ast` and checked against that whitelist; nothing is ever
passed to ``eval``. A checked formula is compiled once into nested closures that work on
anything with arithmetic: floats, pint quantities (units are checked) and NumPy arrays
(one call evaluates every Monte Carlo iteration of a chunk).

Examples
--------
>>> f = Formula.parse("gpu_hours / (lifetime * utilisation)")
>>> sorted(f.names)
['gpu_hours', 'lifetime', 'utilisation']
>>> f.evaluate({"gpu_hours": 8760.0, "lifetime": 2.0, "utilisation": 0.5})
8760.0
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lca.errors import FormulaError

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def _reduce(func: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        result = args[0]
        for arg in args[1:]:
            result = func(result, arg)
        return result

    return apply


#: Functions a formula may call, with their number of arguments (None: two or more).
FUNCTIONS: dict[str, tuple[Callable[..., Any], int | None]] = {
    "min": (_reduce(np.minimum), None),
    "max": (_reduce(np.maximum), None),
    "exp": (np.exp, 1),
    "log": (np.log, 1),
    "log10": (np.log10, 1),
    "sqrt": (np.sqrt, 1),
    "abs": (np.abs, 1),
}

Evaluator = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Formula:
    """A parsed, checked formula.

    Use :meth:`parse`; ``text`` is the formula as written and ``names`` the parameter
    names it uses.
    """

    text: str
    names: frozenset[str]
    _evaluate: Evaluator = field(repr=False, compare=False)

    @classmethod
    def parse(cls, text: str, where: str = "") -> Formula:
        """Parse and check ``text``; ``where`` names the field in error messages.

        Raises
        ------
        FormulaError
            For syntax errors, attribute access, calls of unknown functions, comparisons,
            strings or any construct that is not arithmetic.
        """
        label = f"{where}: " if where else ""
        source = str(text).strip()
        if not source:
            raise FormulaError(f"{label}empty formula")
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(f"{label}formula '{source}' is not valid arithmetic ({exc.msg})") from None
        names: set[str] = set()
        evaluate = _compile(tree.body, source, label, names)
        return cls(source, frozenset(names), evaluate)

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Evaluate with ``values`` for the names (floats, arrays or quantities).

        Raises
        ------
        FormulaError
            When a name has no value.
        """
        missing = self.names.difference(values)
        if missing:
            raise FormulaError(f"formula '{self.text}' uses unknown name(s): {', '.join(sorted(missing))}")
        return self._evaluate(values)

    def __str__(self) -> str:
        return self.text


def _compile(node: ast.AST, source: str, label: str, names: set[str]) -> Evaluator:
    """Turn a whitelisted AST node into a closure; refuse every other node."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = float(node.value)
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        names.add(name)
        return lambda env: env[name]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op = _BINARY[type(node.op)]
        left = _compile(node.left, source, label, names)
        right = _compile(node.right, source, label, names)
        return lambda env: op(left(env), right(env))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        op1 = _UNARY[type(node.op)]
        operand = _compile(node.operand, source, label, names)
        return lambda env: op1(operand(env))
    if isinstance(node, ast.Call):
        return _compile_call(node, source, label, names)
    what = _describe(node)
    raise FormulaError(
        f"{label}formula '{source}' contains {what}; only numbers, parameter names, "
        f"+ - * / **, parentheses and {', '.join(FUNCTIONS)} are allowed"
    )


def _compile_call(node: ast.Call, source: str, label: str, names: set[str]) -> Evaluator:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        called = ast.unparse(node.func)
        raise FormulaError(
            f"{label}formula '{source}' calls '{called}', which is not allowed "
            f"(allowed functions: {', '.join(FUNCTIONS)})"
        )
    if node.keywords:
        raise FormulaError(f"{label}formula '{source}': keyword arguments are not allowed")
    func, arity = FUNCTIONS[node.func.id]
    count = len(node.args)
    if (arity is None and count < 2) or (arity is not None and count != arity):
        expected = "two or more arguments" if arity is None else f"{arity} argument"
        raise FormulaError(f"{label}formula '{source}': {node.func.id}() takes {expected}, got {count}")
    args = [_compile(arg, source, label, names) for arg in node.args]
    if len(args) == 1:
        only = args[0]
        return lambda env: func(only(env))
    return lambda env: func(*(arg(env) for arg in args))


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"attribute access '{ast.unparse(node)}'"
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        return f"the operator '{type(node.op).__name__}'"
    return f"'{ast.unparse(node)}' ({type(node).__name__})"


def is_number(text: Any) -> bool:
    """True when ``text`` is a plain number (not a formula).

    >>> is_number("1e3"), is_number("a * 2")
    (True, False)
    """
    if isinstance(text, bool):
        return False
    if isinstance(text, int | float):
        return math.isfinite(float(text))
    try:
        return math.isfinite(float(str(text)))
    except ValueError:
        return False
