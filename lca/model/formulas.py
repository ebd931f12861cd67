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


#: Longest formula read; longer texts are refused before they are parsed.
MAX_LENGTH = 2000
#: Deepest nesting of a formula once chains are flattened (``a + b + c`` and ``--x`` are
#: one level): each level is one Python frame when the formula is compiled and evaluated.
MAX_DEPTH = 100
_SHOWN = 80  #: characters of a formula quoted in a message


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

        A chain of the same kind of operator (``1 + 1 + ... + 1``, ``a * b / c``) and a
        run of signs (``--x``) are read as one level, so long sums stay within
        :data:`MAX_DEPTH`; deeper nesting, a text longer than :data:`MAX_LENGTH` and a
        number too large for a float are refused.

        Raises
        ------
        FormulaError
            For syntax errors, attribute access, calls of unknown functions, comparisons,
            strings or any construct that is not arithmetic.

        Examples
        --------
        >>> Formula.parse("x" + "+1" * 999).evaluate({"x": 1.0})
        1000.0
        >>> Formula.parse("-" * 1001 + "x").evaluate({"x": 2.0})
        -2.0
        >>> Formula.parse("2 * " + "9" * 400)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lca.errors.FormulaError: formula '2 * 999...' holds the number 9999999999999999... (400 digits), ...
        """
        label = f"{where}: " if where else ""
        source = str(text).strip()
        if not source:
            raise FormulaError(f"{label}empty formula")
        if len(source) > MAX_LENGTH:
            raise FormulaError(f"{label}formula is {len(source)} characters long (max {MAX_LENGTH})")
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError as exc:
            raise FormulaError(
                f"{label}formula {quote(source)} is not valid arithmetic ({exc.msg})"
            ) from None
        except (RecursionError, MemoryError, ValueError):  # the parser's own limits
            raise FormulaError(f"{label}formula {quote(source)} is nested too deeply") from None
        names: set[str] = set()
        evaluate = _Compiler(source, label, names).compile(tree.body, 0)
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

    def __reduce__(self) -> tuple[Callable[[str], Formula], tuple[str]]:
        """Pickled as its text and parsed again when loaded (its closures do not pickle).

        >>> import pickle
        >>> pickle.loads(pickle.dumps(Formula.parse("2 * x"))).evaluate({"x": 3.0})
        6.0
        """
        return (Formula.parse, (self.text,))


def quote(source: str) -> str:
    """The formula in quotes, shortened for a one-line message.

    >>> quote("a * b"), quote("a" + " + a" * 40)[-8:]
    ("'a * b'", " + a...'")
    """
    return f"'{source}'" if len(source) <= _SHOWN else f"'{source[: _SHOWN - 3]}...'"


def _chain(node: ast.AST, ops: tuple[type, ...]) -> tuple[ast.AST, list[tuple[ast.operator, ast.AST]]]:
    """``a - b + c`` as ``a`` and ``[(-, b), (+, c)]``: the left spine of one precedence level."""
    terms: list[tuple[ast.operator, ast.AST]] = []
    while isinstance(node, ast.BinOp) and type(node.op) in ops:
        terms.append((node.op, node.right))
        node = node.left
    terms.reverse()
    return node, terms


_LEVELS = ((ast.Add, ast.Sub), (ast.Mult, ast.Div))


class _Compiler:
    """Turns a whitelisted AST into closures; refuses every other node, and deep nesting."""

    def __init__(self, source: str, label: str, names: set[str]):
        self.source, self.label, self.names = source, label, names

    def fail(self, what: str) -> FormulaError:
        return FormulaError(f"{self.label}formula {quote(self.source)} {what}")

    def compile(self, node: ast.AST, depth: int) -> Evaluator:
        if depth > MAX_DEPTH:
            raise self.fail(f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return self._number(node.value)
        if isinstance(node, ast.Name):
            name = node.id
            self.names.add(name)
            return lambda env: env[name]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            level = next((ops for ops in _LEVELS if type(node.op) in ops), None)
            if level is None:  # ** is right-associative: one level per power
                op = _BINARY[type(node.op)]
                left, right = self.compile(node.left, depth + 1), self.compile(node.right, depth + 1)
                return lambda env: op(left(env), right(env))
            first, terms = _chain(node, level)
            start = self.compile(first, depth + 1)
            steps = [(_BINARY[type(op)], self.compile(term, depth + 1)) for op, term in terms]
            return lambda env: _fold(start(env), steps, env)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            signs = []
            while isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
                signs.append(_UNARY[type(node.op)])
                node = node.operand
            operand = self.compile(node, depth + 1)
            signs.reverse()  # the innermost sign applies first

            def signed(env: Mapping[str, Any]) -> Any:
                value = operand(env)
                for sign in signs:
                    value = sign(value)
                return value

            return signed
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        raise self.fail(
            f"contains {_describe(node)}; only numbers, parameter names, "
            f"+ - * / **, parentheses and {', '.join(FUNCTIONS)} are allowed"
        )

    def _number(self, literal: int | float) -> Evaluator:
        try:
            value = float(literal)
        except OverflowError:
            digits = str(literal) if len(str(literal)) < 4000 else "9" * 4000
            raise self.fail(
                f"holds the number {digits[:16]}... ({len(digits)} digits), too large for a float (> 1.8e308)"
            ) from None
        if not math.isfinite(value):
            raise self.fail("holds a number too large for a float (> 1.8e308)")
        return lambda env: value

    def _call(self, node: ast.Call, depth: int) -> Evaluator:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise self.fail(
                f"calls {quote(_unparse(node.func))}, which is not allowed "
                f"(allowed functions: {', '.join(FUNCTIONS)})"
            )
        if node.keywords:
            raise FormulaError(f"{self.label}formula {quote(self.source)}: keyword arguments are not allowed")
        func, arity = FUNCTIONS[node.func.id]
        count = len(node.args)
        if (arity is None and count < 2) or (arity is not None and count != arity):
            expected = "two or more arguments" if arity is None else f"{arity} argument"
            raise FormulaError(
                f"{self.label}formula {quote(self.source)}: {node.func.id}() takes {expected}, got {count}"
            )
        args = [self.compile(arg, depth + 1) for arg in node.args]
        if len(args) == 1:
            only = args[0]
            return lambda env: func(only(env))
        return lambda env: func(*(arg(env) for arg in args))


def _fold(
    value: Any, steps: list[tuple[Callable[[Any, Any], Any], Evaluator]], env: Mapping[str, Any]
) -> Any:
    """``value`` combined with each step in turn, left to right (as Python evaluates a chain)."""
    for op, term in steps:
        value = op(value, term(env))
    return value


def _unparse(node: ast.AST) -> str:
    """The source of ``node``, or its kind when it is too deep to write back."""
    try:
        return ast.unparse(node)
    except RecursionError:
        return type(node).__name__


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"attribute access {quote(_unparse(node))}"
    if isinstance(node, ast.Constant):
        return f"the literal {quote(repr(node.value))[1:-1]}"
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        return f"the operator '{type(node.op).__name__}'"
    return f"{quote(_unparse(node))} ({type(node).__name__})"


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
