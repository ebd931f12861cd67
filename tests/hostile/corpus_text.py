"""Corpus families of the text languages: formulas, unit texts, YAML structure and numbers,
uncertainty fields, NFKC identifiers."""

from __future__ import annotations

from corpus_base import (
    GWP_TOTAL,
    TEXT,
    Case,
    cell_xml,
    control,
    inventory,
    lazy,
    xlsx_case,
    yaml_case,
    zip_edit,
)


def formulas() -> list[Case]:
    """Formulas that recursed too deep, overflowed, or tried to escape the language."""
    at = "error: inv.yaml, activities.job.exchanges[0].amount: "
    cases = [
        # long sums and runs of signs are one level each: the right reading
        control(
            "sum-of-900-terms",
            "formulas",
            {
                "inv.yaml": inventory(
                    job_grid=f"{{input: grid, amount: 'energy{'+0*energy' * 220}', unit: kWh}}"
                )
            },
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "sum-of-993-ones",
            "formulas",
            {
                "inv.yaml": inventory(
                    job_grid=f"{{input: grid, amount: 'energy*(1{'+1' * 992})/993', unit: kWh}}"
                )
            },
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "1990-unary-minuses",
            "formulas",
            {"inv.yaml": inventory(job_grid=f"{{input: grid, amount: '{'-' * 1990}energy', unit: kWh}}")},
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "99-nested-products",
            "formulas",
            {
                "inv.yaml": inventory(
                    job_grid=f"{{input: grid, amount: '{'1*(' * 99}energy{')' * 99}', unit: kWh}}"
                )
            },
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        ),
    ]
    refused = {
        "150-nested-products": (
            "1*(" * 150 + "energy" + ")" * 150,
            "formula '" + ("1*(" * 26)[:77] + "...' is nested more than 100 levels deep",
        ),
        "250-parentheses": (
            "(" * 250 + "energy" + ")" * 250,
            "formula '" + "(" * 77 + "...' is not valid arithmetic (too many nested parentheses)",
        ),
        "power-chain-300": (
            "energy*" + "1**" * 300 + "1",
            "formula '" + ("energy*" + "1**" * 30)[:77] + "...' is nested more than 100 levels deep",
        ),
        "400-digit-literal": (
            "energy*1" + "0" * 399,
            "formula '" + ("energy*1" + "0" * 399)[:77] + "...' holds the number 1000000000000000... (400 "
            "digits), too large for a float (> 1.8e308)",
        ),
        "literal-1e999": (
            "energy*1e999",
            "formula 'energy*1e999' holds a number too large for a float (> 1.8e308)",
        ),
        "2001-characters": ("energy" + "+0" * 996 + "+00", "formula is 2001 characters long (max 2000)"),
        "ten-to-the-400": (
            "energy * 10**400",
            "formula 'energy * 10**400' gives a number too large for a float (> 1.8e308)",
        ),
        "power-tower": (
            "energy * 9**9**9**9",
            "formula 'energy * 9**9**9**9' gives a number too large for a float (> 1.8e308)",
        ),
    }
    for name, (text, message) in refused.items():
        cases.append(
            yaml_case(
                name,
                "formulas",
                at + message,
                slots={"job_grid": f"{{input: grid, amount: '{text}', unit: kWh}}"},
            )
        )
    allowed = "only numbers, parameter names, + - * / **, parentheses and min, max, exp, log, log10, sqrt, abs are allowed"
    attacks = {
        "import": (
            "__import__('os').system('id')",
            "calls '__import__('os').system', which is not allowed "
            "(allowed functions: min, max, exp, log, log10, sqrt, abs)",
        ),
        "dunder-subclasses": (
            "().__class__.__bases__[0].__subclasses__()",
            "calls '().__class__.__bases__[0]."
            "__subclasses__', which is not allowed (allowed functions: min, max, exp, log, "
            "log10, sqrt, abs)",
        ),
        "open-file": (
            "open('/etc/passwd').read()",
            "calls 'open('/etc/passwd').read', which is not allowed "
            "(allowed functions: min, max, exp, log, log10, sqrt, abs)",
        ),
        "eval": (
            "eval('energy')",
            "calls 'eval', which is not allowed (allowed functions: min, max, exp, log, log10, sqrt, abs)",
        ),
        "getattr": (
            "getattr(energy, 'real')",
            "calls 'getattr', which is not allowed (allowed functions: min, max, exp, log, log10, sqrt, abs)",
        ),
        "globals": (
            "globals()",
            "calls 'globals', which is not allowed (allowed functions: min, max, exp, log, log10, sqrt, abs)",
        ),
        "call-a-parameter": (
            "energy(1)",
            "calls 'energy', which is not allowed (allowed functions: min, max, exp, log, log10, sqrt, abs)",
        ),
        "lambda": (
            "(lambda: 1)()",
            "calls 'lambda: 1', which is not allowed (allowed functions: min, max, "
            "exp, log, log10, sqrt, abs)",
        ),
        "attribute": ("energy.real", f"contains attribute access 'energy.real'; {allowed}"),
        "subscript": ("energy[0]", f"contains 'energy[0]' (Subscript); {allowed}"),
        "list": ("[energy]", f"contains '[energy]' (List); {allowed}"),
        "dict": ("{1: energy}", f"contains '{{1: energy}}' (Dict); {allowed}"),
        "comprehension": ("[x for x in (1, 2)]", f"contains '[x for x in (1, 2)]' (ListComp); {allowed}"),
        "string": ("'a' * 9", f"contains the literal 'a'; {allowed}"),
        "bytes": ("b'x' * energy", f"contains the literal b'x'; {allowed}"),
        "complex": ("1j * energy", f"contains the literal 1j; {allowed}"),
        "none": ("None", f"contains the literal None; {allowed}"),
        "bool": ("True * energy", f"contains the literal True; {allowed}"),
        "ellipsis": ("...", f"contains the literal Ellipsis; {allowed}"),
        "f-string": ("f'{energy}'", f"contains 'f'{{energy}}'' (JoinedStr); {allowed}"),
        "if-else": ("energy if 1 else 2", f"contains 'energy if 1 else 2' (IfExp); {allowed}"),
        "and": ("energy and 1", f"contains 'energy and 1' (BoolOp); {allowed}"),
        "compare": ("energy < 1", f"contains 'energy < 1' (Compare); {allowed}"),
        "walrus": ("(x := energy)", f"contains '(x := energy)' (NamedExpr); {allowed}"),
        "floor-division": ("energy // 2", f"contains the operator 'FloorDiv'; {allowed}"),
        "modulo": ("energy % 7", f"contains the operator 'Mod'; {allowed}"),
        "matmul": ("energy @ energy", f"contains the operator 'MatMult'; {allowed}"),
        "shift": ("energy << 2", f"contains the operator 'LShift'; {allowed}"),
        "xor": ("energy ^ 2", f"contains the operator 'BitXor'; {allowed}"),
        "invert": ("~energy", f"contains the operator 'Invert'; {allowed}"),
        "not": ("not energy", f"contains the operator 'Not'; {allowed}"),
        "keyword": ("min(energy, key=abs)", ": keyword arguments are not allowed"),
        "arity": ("sqrt(energy, energy)", ": sqrt() takes 1 argument, got 2"),
        "statement": ("import os", "is not valid arithmetic (invalid syntax)"),
        "two-statements": ("energy; 1", "is not valid arithmetic (invalid syntax)"),
        "starred": ("*energy", "is not valid arithmetic (invalid syntax)"),
        "yield": ("(yield energy)", f"contains '(yield energy)' (Yield); {allowed}"),
        "await": ("await energy", f"contains 'await energy' (Await); {allowed}"),
    }
    for name, (text, message) in attacks.items():
        quoted = text.replace("'", "''")
        shown = f"formula '{text}'" if not message.startswith(":") else f"formula '{text}'"
        line = f"{at}{shown}{message}" if message.startswith(":") else f"{at}{shown} {message}"
        cases.append(
            yaml_case(
                f"attack-{name}",
                "formulas",
                line,
                slots={"job_grid": f"{{input: grid, amount: '{quoted}', unit: kWh}}"},
            )
        )
    # an Excel cell bypassed the length cap
    long_formula = "energy" + " + 0" * 8000
    cases.append(
        xlsx_case(
            "excel-32k-formula",
            "formulas",
            f"error: inv.xlsx, Exchanges!C4: formula is {len(long_formula)} characters long (max 2000)",
            zip_edit({"Exchanges": cell_xml("C4", TEXT.format(c="C4", v=long_formula))}),
        )
    )
    deep = "1*(" * 150 + "energy" + ")" * 150
    cases.append(
        xlsx_case(
            "excel-deep-formula",
            "formulas",
            "error: inv.xlsx, Exchanges!C4: formula '" + deep[:77] + "...' is nested more than "
            "100 levels deep",
            zip_edit({"Exchanges": cell_xml("C4", TEXT.format(c="C4", v=deep))}),
        )
    )
    return cases


POWER = "has a power that is not a small number; expected e.g. m**3 or s**-1"


def units() -> list[Case]:
    """Unit texts pint would compute forever (exact integer powers), in every unit field."""
    texts = {
        "tower": ("10**10**10", f"unit '10**10**10' {POWER}"),
        "power-of-power": ("kWh**(9**9**9)", f"unit 'kWh**(9**9**9)' {POWER}"),
        "caret-tower": ("kWh^9^9", f"unit 'kWh^9^9' {POWER}"),
        "float-exponent": ("kWh**1e308", f"unit 'kWh**1e308' {POWER}"),
        "big-exponent": ("kWh**9e9", f"unit 'kWh**9e9' {POWER}"),
        "underscore-exponent": ("kWh**1_000", f"unit 'kWh**1_000' {POWER}"),
        "hex-exponent": ("kWh**0x7fffffff", f"unit 'kWh**0x7fffffff' {POWER}"),
        "nan-exponent": ("kWh**nan", f"unit 'kWh**nan' {POWER}"),
        "long-number": (
            "kWh^99999999",
            "unit 'kWh^99999999' holds a number of 7 or more digits; expected a unit such as kWh or t*km",
        ),
        "long-text": ("kWh" + "*kWh" * 30, "unit text is 123 characters long; expected at most 100"),
    }
    fields = {  # slot, YAML path, how the slot is written around the unit text
        "parameter": ("p_energy", "parameters.energy.unit", "{{amount: 1000, unit: '{u}'}}"),
        "exchange": (
            "grid_gwp",
            "activities.grid.exchanges[0].unit",
            "{{input: GWP, amount: 57, unit: '{u}'}}",
        ),
        "activity": ("grid_unit", "activities.grid.unit", "'{u}'"),
        "flow": ("flow", "flows[0].unit", "{{code: ch4, name: methane, unit: '{u}', factors: {{GWP: 28}}}}"),
        "functional-unit": ("fu", "functional_unit.unit", "{{activity: job, amount: 1, unit: '{u}'}}"),
    }
    found = []
    for field_name, (slot, path, written) in fields.items():
        for name, (text, message) in texts.items():
            found.append(
                yaml_case(
                    f"{field_name}-{name}",
                    "units",
                    f"error: inv.yaml, {path}: {message}",
                    slots={slot: written.format(u=text)},
                )
            )
    for name in ("tower", "power-of-power", "float-exponent"):
        text, message = texts[name]
        found.append(
            xlsx_case(
                f"excel-exchange-{name}",
                "units",
                f"error: inv.xlsx, Exchanges!D2: {message}",
                zip_edit({"Exchanges": cell_xml("D2", TEXT.format(c="D2", v=text))}),
            )
        )
        found.append(
            xlsx_case(
                f"excel-parameter-{name}",
                "units",
                f"error: inv.xlsx, Parameters!C2: {message}",
                zip_edit({"Parameters": cell_xml("C2", TEXT.format(c="C2", v=text))}),
            )
        )
    # a formula whose unit is raised to a huge power (pint would overflow converting it)
    found.append(
        yaml_case(
            "formula-unit-power",
            "units",
            "error: inv.yaml, activities.job.exchanges[0].amount: formula '(energy/1000)**(9**9)' "
            "gives a unit raised to the power 3.8742e+08; expected at most 99",
            slots={"job_grid": "{input: grid, amount: '(energy/1000)**(9**9)', unit: kWh}"},
        )
    )
    # the lifetime of an amortised exchange as a quantity text
    found.append(
        yaml_case(
            "lifetime-quantity-tower",
            "units",
            "error: inv.yaml, activities.job.exchanges[1].lifetime: formula '5 year**(9**9**9)' is "
            "not valid arithmetic (invalid syntax)",
            slots={
                "job_gpu": "{input: gpu, amount: hours, unit: h, lifetime: '5 year**(9**9**9)', "
                "utilisation: 0.5}"
            },
        )
    )
    found.append(
        control(
            "small-powers",
            "units",
            {
                "inv.yaml": inventory(
                    grid_gwp="{input: GWP, amount: 57, unit: 'g CO2 eq * h**2 * s**-1 / h**2 * s'}"
                )
            },
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        )
    )
    return found


ALIAS_BOMB = (
    "{a: &a [x, x, x, x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a],"
    " c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b], d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c],"
    " e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d], f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e],"
    " g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f], h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g],"
    " i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]}"
)


def yaml_structure() -> list[Case]:
    """YAML that expanded to 1e9 values, nested thousands deep, or silently kept the last key."""
    base = inventory().decode()
    found = [
        yaml_case(
            "alias-bomb-info",
            "yaml",
            "error: inv.yaml, line 3: aliases expand to more than 1,000,000 "
            "values; expected a plain inventory",
            slots={"info": ALIAS_BOMB},
        ),
        yaml_case(
            "alias-bomb-top",
            "yaml",
            "error: inv.yaml, line 28: aliases expand to more than 1,000,000 "
            "values; expected a plain inventory",
            text=(base + f"bomb: {ALIAS_BOMB}\n").encode(),
        ),
        yaml_case(
            "nested-lists-3000",
            "yaml",
            "error: inv.yaml, line 3: nested more than 200 levels deep",
            slots={"info": "[" * 3000 + "]" * 3000},
        ),
        yaml_case(
            "nested-maps-3000",
            "yaml",
            "error: inv.yaml, line 3: nested more than 200 levels deep",
            slots={"info": "{a: " * 3000 + "1" + "}" * 3000},
        ),
        yaml_case(
            "nested-lists-10000",
            "yaml",
            "error: inv.yaml, line 3: nested more than 200 levels deep",
            slots={"info": "[" * 10000 + "]" * 10000},
        ),
        yaml_case(
            "nested-250",
            "yaml",
            "error: inv.yaml, line 3: nested more than 200 levels deep",
            slots={"info": "[" * 250 + "]" * 250},
        ),
        yaml_case(
            "block-nesting-1500",
            "yaml",
            "error: inv.yaml, line 1027: nested more than 200 levels deep",
            text=(base + "deep:\n" + "".join("  " * i + "- \n" for i in range(1, 1500))).encode(),
        ),
        yaml_case(
            "duplicate-parameter",
            "yaml",
            "error: inv.yaml, line 7: key 'energy' is given twice in the same "
            "mapping (first on line 5); keep one",
            slots={"p_hours": "{amount: 2000, unit: h}\n  energy: {amount: 4, unit: MW}"},
        ),
        yaml_case(
            "duplicate-amount",
            "yaml",
            "error: inv.yaml, line 24: key 'amount' is given twice in the same "
            "mapping (first on line 24); keep one",
            slots={"job_grid": "{input: grid, amount: energy, amount: 1, unit: kWh}"},
        ),
        yaml_case(
            "duplicate-functional-unit",
            "yaml",
            "error: inv.yaml, line 28: key 'functional_unit' is given "
            "twice in the same mapping (first on line 27); keep one",
            text=(base + "functional_unit: {activity: gpu, amount: 1}\n").encode(),
        ),
        yaml_case(
            "python-tag",
            "yaml",
            "error: inv.yaml, line 3: not valid YAML (could not determine a constructor "
            "for the tag 'tag:yaml.org,2002:python/object/apply:os.system')",
            slots={"info": "!!python/object/apply:os.system [id]"},
        ),
        yaml_case(
            "key-is-a-list",
            "yaml",
            "error: inv.yaml, line 3: a key is a list or a mapping; expected a name",
            slots={"info": "{? [a, b] : 1}"},
        ),
        yaml_case(
            "top-is-a-list",
            "yaml",
            "error: inv.yaml: expected a mapping with name, parameters, activities",
            text=b"- a\n- b\n",
        ),
        yaml_case(
            "top-is-a-number",
            "yaml",
            "error: inv.yaml: expected a mapping with name, parameters, activities",
            text=b"42\n",
        ),
        yaml_case(
            "empty-file",
            "yaml",
            "error: inv.yaml: expected a mapping with name, parameters, activities",
            text=b"\n",
        ),
        yaml_case(
            "invalid-utf8",
            "yaml",
            "error: inv.yaml, line 2: not UTF-8 text (byte 0xff: invalid start byte); save the file as UTF-8",
            text=base.encode()[:25] + b"\xff\xfe" + base.encode()[25:],
        ),
        yaml_case(
            "nul-bytes",
            "yaml",
            "error: inv.yaml, line 2: not valid YAML (character #x0000 is not "
            "allowed: control characters are not text)",
            text=base.replace("name: hostile", "name: host\x00ile").encode(),
        ),
        yaml_case(
            "too-large-yaml",
            "yaml",
            "error: inv.yaml: file is larger than 20 MiB",
            text=lazy(lambda: base.encode() + b"#" * (20 * 1024 * 1024 - len(base.encode()) + 1)),
        ),
        yaml_case(
            "factors-a-list",
            "yaml",
            "error: inv.yaml, flows[0].factors: expected a mapping of indicator: factor, e.g. {GWP: 28}",
            slots={"flow": "{code: ch4, name: methane, unit: kg, factors: [28]}"},
        ),
        yaml_case(
            "exchanges-a-mapping",
            "yaml",
            "error: inv.yaml, activities.grid.exchanges: expected a list",
            text=base.replace(
                "    exchanges:\n      - {input: GWP, amount: 57, unit: g CO2 eq}",
                "    exchanges: {input: GWP}",
            ).encode(),
        ),
    ]
    return found


def yaml_numbers() -> list[Case]:
    """400-digit integers, NaN and infinity in every number field of a data file."""
    big = "9" * 400
    shown = "99999999999999999999... (400 digits) is too large for a float (> 1.8e308)"
    fields = {  # slot, text with {n}, YAML path
        "parameter-amount": ("p_energy", "{{amount: {n}, unit: kWh}}", "parameters.energy.amount"),
        "exchange-amount": (
            "grid_gwp",
            "{{input: GWP, amount: {n}, unit: g CO2 eq}}",
            "activities.grid.exchanges[0].amount",
        ),
        "production": ("grid_production", "{n}", "activities.grid.production"),
        "functional-unit-amount": (
            "fu",
            "{{activity: job, amount: {n}, unit: run}}",
            "functional_unit.amount",
        ),
        "flow-factor": (
            "flow",
            "{{code: ch4, name: methane, unit: kg, factors: {{GWP: {n}}}}}",
            "flows[0].factors.GWP",
        ),
        "lifetime": (
            "job_gpu",
            "{{input: gpu, amount: hours, unit: h, lifetime: {n}, utilisation: 0.5}}",
            "activities.job.exchanges[1].lifetime",
        ),
        "utilisation": (
            "job_gpu",
            "{{input: gpu, amount: hours, unit: h, lifetime: 20000 h, utilisation: {n}}}",
            "activities.job.exchanges[1].utilisation",
        ),
    }
    found = []
    for name, (slot, text, path) in fields.items():
        found.append(
            yaml_case(
                f"{name}-400-digits",
                "yaml-numbers",
                f"error: inv.yaml, {path}: {shown}",
                slots={slot: text.format(n=big)},
            )
        )
    uncertain = {
        "min-400-digits": (
            "{{input: GWP, amount: 57, unit: g CO2 eq, distribution: uniform, min: -{n}, max: 100}}",
            "min",
        ),
        "gsd-400-digits": ("{{input: GWP, amount: 57, unit: g CO2 eq, gsd: {n}}}", "gsd"),
    }
    for name, (text, key) in uncertain.items():
        found.append(
            yaml_case(
                name,
                "yaml-numbers",
                f"error: inv.yaml, activities.grid.exchanges[0].{key}: "
                # the value is cut after 20 characters, its length said
                f"{(('-' if key == 'min' else '') + big)[:20]}... ({len(big) + (key == 'min')} characters) "
                "is too large for a float",
                slots={"grid_gwp": text.format(n=big)},
            )
        )
    special = {
        "exchange-amount-nan": (
            "grid_gwp",
            "{input: GWP, amount: .nan, unit: g CO2 eq}",
            "activities.grid.exchanges[0].amount: nan; expected a finite number",
        ),
        "exchange-amount-inf": (
            "grid_gwp",
            "{input: GWP, amount: .inf, unit: g CO2 eq}",
            "activities.grid.exchanges[0].amount: inf; expected a finite number",
        ),
        "exchange-amount-nan-text": (
            "grid_gwp",
            "{input: GWP, amount: 'nan', unit: g CO2 eq}",
            "activities.grid.exchanges[0].amount: 'nan'; expected a finite number",
        ),
        "parameter-inf": (
            "p_energy",
            "{amount: .inf, unit: kWh}",
            "parameters.energy.amount: 'inf'; expected a finite number or a formula",
        ),
        "parameter-nan-text": (
            "p_energy",
            "{amount: NaN, unit: kWh}",
            "parameters.energy.amount: 'NaN'; expected a finite number or a formula",
        ),
        "parameter-1e999": (
            "p_energy",
            "{amount: '1e999', unit: kWh}",
            "parameters.energy.amount: '1e999'; expected a finite number or a formula",
        ),
        "production-nan": (
            "grid_production",
            ".nan",
            "activities.grid.production: nan; expected a finite number other than 0 (negative for "
            "a waste treatment)",
        ),
        "fu-amount-inf": (
            "fu",
            "{activity: job, amount: .inf, unit: run}",
            "functional_unit.amount: inf; expected a number > 0",
        ),
        "flow-factor-nan": (
            "flow",
            "{code: ch4, name: methane, unit: kg, factors: {GWP: .nan}}",
            "flows[0].factors.GWP: nan; expected a finite number",
        ),
        "utilisation-nan": (
            "job_gpu",
            "{input: gpu, amount: hours, unit: h, lifetime: 20000 h, utilisation: .nan}",
            "activities.job.exchanges[1].utilisation: nan; expected a finite number",
        ),
    }
    for name, (slot, text, line) in special.items():
        found.append(yaml_case(name, "yaml-numbers", f"error: inv.yaml, {line}", slots={slot: text}))
    # YAML 1.1 reads 1e3 (no dot) as text: it is still the number 1,000
    found.append(
        control(
            "exponent-without-dot",
            "yaml-numbers",
            {"inv.yaml": inventory(p_energy="{amount: 1e3, unit: kWh, gsd: 1.2}")},
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        )
    )
    found.append(
        control(
            "quoted-number",
            "yaml-numbers",
            {"inv.yaml": inventory(grid_gwp="{input: GWP, amount: '57', unit: g CO2 eq}")},
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        )
    )
    return found


def uncertainty() -> list[Case]:
    """Uncertainty fields read wrong (``sd: true`` as 1.0) or refused by one reader only."""
    at = "error: inv.yaml, activities.grid.exchanges[0]."
    specs = {
        "sd-true": ("distribution: normal, sd: true", "sd: True is not a number"),
        "distribution-0-with-sd": (
            "distribution: 0, sd: 3",
            "sd: sd is not read by distribution 'undefined'; "
            "clear it or choose the distribution it belongs to",
        ),
        "id-beside-distribution": (
            "id: 4, distribution: normal, sd: 3",
            "id: id 4 (uniform) differs from distribution 'normal'; give one of them",
        ),
        "sd-beside-uniform": (
            "distribution: uniform, sd: 3, min: 50, max: 60",
            "sd: sd is not read by distribution 'uniform'; clear it or choose the distribution it belongs to",
        ),
        "gsd-below-one": ("gsd: 0.5", "gsd: 0.5; expected a geometric standard deviation >= 1"),
        "negative-sd": ("distribution: normal, sd: -3", "sd: -3; expected >= 0"),
        "min-above-max": (
            "distribution: uniform, min: 60, max: 50",
            "min: uniform min (60) is above max (50)",
        ),
        "mode-outside": (
            "distribution: triangular, min: 50, max: 60, mode: 70",
            "mode: triangular mode (70) is outside min-max (50 to 60)",
        ),
        "pedigree-six": (
            "pedigree: [1, 2, 6, 1, 1]",
            "pedigree: temporal correlation score is 6; expected 1 to 5",
        ),
        "unknown-distribution": (
            "distribution: banana",
            "distribution: distribution 'banana' is not supported; "
            "expected one of fixed, lognormal, normal, uniform, triangular (or stats_arrays "
            "ids 1-5)",
        ),
    }
    found = []
    for name, (text, line) in specs.items():
        found.append(
            yaml_case(
                name,
                "uncertainty",
                at + line,
                slots={"grid_gwp": f"{{input: GWP, amount: 57, unit: g CO2 eq, {text}}}"},
            )
        )
    return found


def nfkc() -> list[Case]:
    """Identifiers that Python's NFKC normalisation would silently make another parameter's."""
    return [
        yaml_case(
            "full-width-in-formula",
            "nfkc",
            "error: inv.yaml, activities.job.exchanges[1].amount: formula "
            "'ｈｏｕｒｓ' writes a name with compatibility characters ('ｈｏｕｒｓ')",
            slots={
                "job_gpu": "{input: gpu, amount: ｈｏｕｒｓ, unit: h, lifetime: 20000 h, utilisation: 0.5}"
            },
        ),
        yaml_case(
            "full-width-parameter",
            "nfkc",
            "error: inv.yaml, parameters.ｅｎｅｒｇｙ: 'ｅｎｅｒｇｙ' is not an "
            "identifier (letters, digits, _; no spaces)",
            slots={"p_hours": "{amount: 2000, unit: h}\n  ｅｎｅｒｇｙ: {amount: 5, unit: kWh}"},
        ),
        yaml_case(
            "ligature-in-formula",
            "nfkc",
            "error: inv.yaml, activities.job.exchanges[0].amount: formula "
            "'eﬃciency * energy' writes a name with compatibility characters ('eﬃciency')",
            slots={"job_grid": "{input: grid, amount: eﬃciency * energy, unit: kWh}"},
        ),
    ]
