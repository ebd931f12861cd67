"""Corpus families: loops, dataset CSVs and provenance, "did you mean" at scale, outputs,
injection, valid controls."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import yaml
from corpus_base import (
    BLOOM_FULL_GWP,
    BLOOM_GWP,
    DATASETS,
    GPT3_GWP,
    GWP_TOTAL,
    Case,
    base_workbook,
    control,
    inventory,
    lazy,
    yaml_case,
    zip_edit,
)


def loops() -> list[Case]:
    """Loops that gave negative supplies silently, or were solved near-singular without a word."""

    def loop(back: str) -> bytes:
        # a makes 1 kWh using 2 kWh of b; b makes 1 kWh using `back` kWh of a; 1 kg CO2 eq/kWh each
        return (
            "format: lca-inventory/1\nname: loop\nactivities:\n"
            "  - {code: a, phase: training, unit: kWh, exchanges: [{input: b, amount: 2, unit: kWh},"
            " {input: GWP, amount: 1, unit: kg CO2 eq}]}\n"
            f"  - {{code: b, unit: kWh, exchanges: [{{input: a, amount: {back}, unit: kWh}},"
            " {input: GWP, amount: 1, unit: kg CO2 eq}]}\n"
            "functional_unit: {activity: a, amount: 1, unit: kWh}\n"
        ).encode()

    return [
        # s_a = 1 + 0.4 s_b, s_b = 2 s_a: s_a = 5, s_b = 10, GWP 15 kg
        control(
            "converging-loop",
            "loops",
            {"inv.yaml": loop("0.4")},
            ["run", "inv.yaml"],
            {"GWP": 15.0},
            rel=1e-9,
        ),
        # gain 2 x 0.6 = 1.2: s_a = 1 + 1.2 s_a = -5, s_b = -10: -15 kg, with a warning
        control(
            "gain-above-one",
            "loops",
            {"inv.yaml": loop("0.6")},
            ["run", "inv.yaml"],
            {"GWP": -15.0},
            rel=1e-9,
            first="warning: negative supply of 'a' (-5 kWh), 'b' (-10 kWh): a loop consumes more than it makes, "
            "or a negative exchange pulls it (an avoided product; a waste goes to a treatment with a negative "
            "production); check the signs if neither is meant",
            lines=1,
        ),
        yaml_case(
            "singular-loop",
            "loops",
            "error: inv.yaml: the technosphere matrix is singular in the loop of "
            "'a', 'b': an activity produces nothing net there (a loop that consumes all it makes, or a "
            "production of 0); results would be wrong, so none are given",
            text=loop("0.5"),
        ),
        yaml_case(
            "near-singular-loop",
            "loops",
            "error: inv.yaml: the technosphere matrix is nearly singular "
            "(condition number 1.8e+16) in the loop of 'a', 'b': an activity produces nothing net there (a "
            "loop that consumes all it makes, or a production of 0); results would be wrong, so none are "
            "given",
            text=loop("0.4999999999999999"),
        ),
    ]


DATA_INVENTORY = b"""format: lca-inventory/1
name: data
activities:
  - {code: grid, dataset: grid/FR}
  - code: job
    phase: training
    unit: run
    exchanges:
      - {input: grid, amount: 1000, unit: kWh}
functional_unit: {activity: job, amount: 1, unit: run}
"""
FR_GWP = 0.098  # kg CO2 eq/kWh, datasets/grid.csv FR (Boavizta API electrical_mix.csv, FRA)


def grid_csv(
    edit: Callable[[dict[str, str]], None] | None = None, header: Callable | None = None, bom: bool = False
) -> bytes:
    """A user grid.csv holding the shipped FR row, edited (``edit(row)``; ``header(columns)``)."""
    with (DATASETS / "grid.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = dict(next(r for r in rows if r["name"] == "FR"))
    if edit:
        edit(row)
    columns = list(row)
    if header:
        columns = header(columns)
        row = dict(zip(columns, row.values(), strict=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _set(**cells: str) -> Callable[[dict[str, str]], None]:
    return lambda row: row.update(cells)


def datasets() -> list[Case]:
    """Dataset CSVs of LCA_DATA_PATH: size, BOM, ranges, columns, values; provenance in outputs."""
    env = {"LCA_DATA_PATH": "{dir}/data"}

    def data_case(name, first, csv_bytes, **kw):
        return Case(
            name,
            "datasets",
            kw.pop("argv", ["run", "inv.yaml"]),
            first,
            files={"inv.yaml": DATA_INVENTORY, "data/grid.csv": csv_bytes},
            env=env,
            **kw,
        )

    def replaced(row):
        row.update(gwp="0.2", gwp_low="0.1", gwp_high="0.3")

    def rename(old, new):
        return lambda columns: [new if c == old else c for c in columns]

    def big(path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(grid_csv(_set(comment="x" * (5 * 1024 * 1024))))

    at = "error: grid.csv, line 2: "
    found = [
        # the override replaces FR: 1,000 kWh x 0.2 kg CO2 eq/kWh = 200 kg
        control(
            "replaced-entry",
            "datasets",
            {"inv.yaml": DATA_INVENTORY, "data/grid.csv": grid_csv(replaced)},
            ["run", "inv.yaml"],
            {"GWP": 200.0},
            env=env,
        ),
        control(
            "bom-is-read",
            "datasets",
            {"inv.yaml": DATA_INVENTORY, "data/grid.csv": grid_csv(replaced, bom=True)},
            ["run", "inv.yaml"],
            {"GWP": 200.0},
            env=env,
        ),
        control(
            "added-entry",
            "datasets",
            {
                "inv.yaml": DATA_INVENTORY.replace(b"grid/FR", b"grid/XX"),
                "data/grid.csv": grid_csv(
                    _set(name="XX", gwp="0.5", gwp_low="", gwp_high="", gwp_distribution="")
                ),
            },
            ["run", "inv.yaml"],
            {"GWP": 500.0},
            env=env,
        ),
        # a missing folder is a warning, not "+local": the shipped FR, 1,000 x 0.098 = 98 kg
        control(
            "missing-folder",
            "datasets",
            {"inv.yaml": DATA_INVENTORY},
            ["run", "inv.yaml"],
            {"GWP": 1000 * FR_GWP},
            env={"LCA_DATA_PATH": "{dir}/nowhere"},
            first="warning: LCA_DATA_PATH: '{dir}/nowhere' is not a folder; no dataset entry is read from it",
            lines=1,
        ),
        Case(
            "missing-folder-version",
            "datasets",
            ["run", "inv.yaml", "--format", "json"],
            "warning: LCA_DATA_PATH: '{dir}/nowhere' is not a folder; no dataset entry is read from it",
            0,
            1,
            {"inv.yaml": DATA_INVENTORY},
            env={"LCA_DATA_PATH": "{dir}/nowhere"},
            check="version-not-local",
        ),
        Case(
            "provenance-in-report",
            "datasets",
            ["report", "inv.yaml", "--out", "r.md"],
            "",
            0,
            0,
            {"inv.yaml": DATA_INVENTORY, "data/grid.csv": grid_csv(replaced)},
            env=env,
            outputs=["r.md", "r_figures/"],
            check="provenance-md",
        ),
        Case(
            "provenance-in-results-workbook",
            "datasets",
            ["export", "inv.yaml", "--results", "--out", "r.xlsx"],
            "",
            0,
            0,
            {"inv.yaml": DATA_INVENTORY, "data/grid.csv": grid_csv(replaced)},
            env=env,
            outputs=["r.xlsx"],
            check="provenance-xlsx",
            contains=["wrote r.xlsx"],
        ),
        Case(
            "provenance-in-json",
            "datasets",
            ["run", "inv.yaml", "--format", "json"],
            "",
            0,
            0,
            {"inv.yaml": DATA_INVENTORY, "data/grid.csv": grid_csv(replaced)},
            env=env,
            check="provenance-json",
        ),
        data_case(
            "low-above-high",
            at + "column gwp_low 0.3 is above gwp_high 0.1",
            grid_csv(_set(gwp="0.2", gwp_low="0.3", gwp_high="0.1")),
        ),
        data_case(
            "low-without-high",
            at + "column gwp_low is given without gwp_high; give both or none",
            grid_csv(_set(gwp_high="", gwp_distribution="")),
        ),
        data_case(
            "misspelt-value-column",
            "error: grid.csv, line 1: column 'gwp_hgih' is not a column of this "
            "dataset; did you mean 'gwp_high'? (a value field F has F, F_low, F_high, F_distribution, F_source)",
            grid_csv(header=rename("gwp_high", "gwp_hgih")),
        ),
        data_case(
            "misspelt-field",
            "error: grid.csv, line 1: column 'gwpp' is not a column of this dataset; did you "
            "mean 'gwp'? (a value field F has F, F_low, F_high, F_distribution, F_source)",
            grid_csv(header=rename("gwp", "gwpp")),
        ),
        data_case(
            "misspelt-base-column",
            "error: grid.csv, line 1: column 'yaer' is not a column of this dataset; "
            "did you mean 'year'? (a value field F has F, F_low, F_high, F_distribution, F_source)",
            grid_csv(header=rename("year", "yaer")),
        ),
        data_case("nan-value", at + "column gwp: 'nan' is not a finite number", grid_csv(_set(gwp="nan"))),
        data_case("inf-value", at + "column gwp: 'inf' is not a finite number", grid_csv(_set(gwp="inf"))),
        data_case(
            "inf-low", at + "column gwp_low: '-inf' is not a finite number", grid_csv(_set(gwp_low="-inf"))
        ),
        data_case("year-inf", at + "column year: 'inf' is not a finite number", grid_csv(_set(year="inf"))),
        data_case("year-nan", at + "column year: 'nan' is not a finite number", grid_csv(_set(year="nan"))),
        data_case(
            "year-fraction", at + "column year: '2011.5' is not a whole year", grid_csv(_set(year="2011.5"))
        ),
        data_case(
            "unit-tower",
            at + "column unit: unit '10**10**10' has a power that is not a small number; "
            "expected e.g. m**3 or s**-1",
            grid_csv(_set(unit="10**10**10")),
        ),
        data_case(
            "not-utf8",
            "error: {dir}/data/grid.csv: cannot be read as a UTF-8 CSV file (invalid start byte)",
            grid_csv().replace(b"FR", b"F\xff", 1),
        ),
        Case(
            "too-large",
            "datasets",
            ["run", "inv.yaml"],
            "error: {dir}/data/grid.csv: file is 5.0 MiB, larger than 5 MiB",
            files={"inv.yaml": DATA_INVENTORY, "data/grid.csv": big},
            env=env,
        ),
    ]
    return found


def did_you_mean() -> list[Case]:
    """Thousands of misspelt references: each "did you mean" searched every name (hours)."""

    def misspelt_inputs(n: int) -> bytes:
        acts = [
            {
                "code": f"act_{i:05d}",
                "unit": "kWh",
                "exchanges": [{"input": f"actt_{(i + 1) % n:05d}", "amount": 1, "unit": "kWh"}],
            }
            for i in range(n)
        ]
        acts.append(
            {
                "code": "job",
                "phase": "training",
                "unit": "run",
                "exchanges": [{"input": "act_00000", "amount": 1, "unit": "kWh"}],
            }
        )
        return yaml.safe_dump(
            {
                "format": "lca-inventory/1",
                "name": "typos",
                "activities": acts,
                "functional_unit": {"activity": "job"},
            }
        ).encode()

    def misspelt_parameters(n: int) -> bytes:
        params = {f"p_{i:05d}": {"amount": 1.0} for i in range(n)}
        params |= {f"q_{i:05d}": {"amount": f"pp_{i:05d} * 2"} for i in range(n)}
        return yaml.safe_dump(
            {
                "format": "lca-inventory/1",
                "name": "typos",
                "parameters": params,
                "activities": [{"code": "job", "phase": "training", "unit": "run"}],
                "functional_unit": {"activity": "job"},
            }
        ).encode()

    def misspelt_consumers(n: int) -> bytes:
        acts = "".join(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>act_{r:05d}</t></is></c><c r="D{r}" '
            f't="inlineStr"><is><t>kWh</t></is></c></row>'
            for r in range(5, 5 + n)
        )
        excs = "".join(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>actt_{r - 2:05d}</t></is></c><c r="B{r}" '
            f't="inlineStr"><is><t>GWP</t></is></c><c r="C{r}" t="n"><v>1</v></c><c r="D{r}" '
            f't="inlineStr"><is><t>kg CO2 eq</t></is></c></row>'
            for r in range(7, 7 + n)
        )
        return zip_edit(
            {
                "Activities": lambda d: d.replace(b"</sheetData>", acts.encode() + b"</sheetData>"),
                "Exchanges": lambda d: d.replace(b"</sheetData>", excs.encode() + b"</sheetData>"),
            }
        )

    return [
        Case(
            "20000-misspelt-inputs",
            "did-you-mean",
            ["validate", "inv.yaml"],
            "error: inv.yaml, activities.act_00000"
            ".exchanges[0].input: no activity, flow or indicator 'actt_00001'; did you mean 'act_00001'?",
            lines=51,
            files={"inv.yaml": lazy(lambda: misspelt_inputs(20_000))},
            seconds=90,
        ),
        Case(
            "5000-misspelt-parameters",
            "did-you-mean",
            ["validate", "inv.yaml"],
            "error: inv.yaml, parameters."
            "q_00000.amount: formula 'pp_00000 * 2' uses unknown name 'pp_00000'; did you mean 'p_00000'?",
            lines=51,
            files={"inv.yaml": lazy(lambda: misspelt_parameters(5_000))},
            seconds=90,
        ),
        Case(
            "3000-misspelt-consumers",
            "did-you-mean",
            ["validate", "inv.xlsx"],
            "error: inv.xlsx, Exchanges!A7: no "
            "activity 'actt_00005' in the Activities sheet; did you mean 'act_00005'?",
            lines=51,
            files={"inv.xlsx": lazy(lambda: misspelt_consumers(3_000))},
            seconds=90,
        ),
    ]


def outputs() -> list[Case]:
    """--out never replaces a link, a FIFO, a folder, an input or a file without --force."""

    def link(target: str):
        return lambda path: path.symlink_to(target)

    def fifo(path: Path) -> None:
        os.mkfifo(path)

    def folder(path: Path) -> None:
        path.mkdir()

    def read_only(path: Path) -> None:
        path.write_text("keep")
        path.chmod(0o444)

    def hard_link(path: Path) -> None:
        os.link(path.parent / "inv.yaml", path)

    inv = inventory()
    report = ["report", "inv.yaml", "--out"]
    return [
        Case(
            "report-onto-symlink",
            "outputs",
            [*report, "r.html", "--force"],
            "error: r.html: is a symbolic link (to "
            "'precious.html'); links are not written through or replaced: give the target's own path or a new file name",
            files={"inv.yaml": inv, "precious.html": b"keep", "r.html": link("precious.html")},
        ),
        Case(
            "report-onto-dangling-symlink",
            "outputs",
            [*report, "r.html"],
            "error: r.html: is a symbolic link (to "
            "'nowhere.html'); links are not written through or replaced: give the target's own path or a new file name",
            files={"inv.yaml": inv, "r.html": link("nowhere.html")},
        ),
        Case(
            "report-onto-device-link",
            "outputs",
            [*report, "r.md", "--force"],
            "error: r.md: is a symbolic link (to "
            "'/dev/null'); links are not written through or replaced: give the target's own path or a new file name",
            files={"inv.yaml": inv, "r.md": link("/dev/null")},
        ),
        Case(
            "report-onto-fifo",
            "outputs",
            [*report, "r.html", "--force"],
            "error: r.html: is a FIFO (named pipe), not a regular file; expected a file name",
            files={"inv.yaml": inv, "r.html": fifo},
        ),
        Case(
            "report-onto-folder",
            "outputs",
            [*report, "r.html", "--force"],
            "error: r.html: is a folder; expected a file name",
            files={"inv.yaml": inv, "r.html": folder},
        ),
        Case(
            "report-onto-existing",
            "outputs",
            [*report, "r.md"],
            "error: r.md exists; use --force to overwrite it",
            files={"inv.yaml": inv, "r.md": b"keep"},
        ),
        Case(
            "report-onto-read-only",
            "outputs",
            [*report, "r.md", "--force"],
            "error: r.md: is read-only; make it writable first to replace it",
            files={"inv.yaml": inv, "r.md": read_only},
        ),
        Case(
            "report-onto-its-input",
            "outputs",
            ["report", "inv.xlsx", "--out", "inv.xlsx", "--force"],
            "error: inv.xlsx: is an input of this command (inv.xlsx); choose another output file name",
            files={"inv.xlsx": base_workbook()},
        ),
        Case(
            "export-onto-a-hard-link-of-its-input",
            "outputs",
            ["export", "inv.yaml", "--out", "copy.yaml", "--force"],
            "error: copy.yaml: is an input of this command (inv.yaml); choose another output file name",
            files={"inv.yaml": inv, "copy.yaml": hard_link},
        ),
        Case(
            "html-into-xlsx-name",
            "outputs",
            [*report, "r.xlsx", "--format", "html"],
            "error: r.xlsx: --format html writes a .html file; name it r.html or leave out --format",
            files={"inv.yaml": inv},
        ),
        Case(
            "template-onto-existing",
            "outputs",
            ["template", "t.xlsx"],
            "error: t.xlsx exists; use --force to overwrite it",
            files={"t.xlsx": b"keep"},
        ),
        Case(
            "compare-onto-fifo",
            "outputs",
            ["compare", "inv.yaml", "inv.yaml", "--out", "c.html", "--force"],
            "error: c.html: is a FIFO (named pipe), not a regular file; expected a file name",
            files={"inv.yaml": inv, "c.html": fifo},
        ),
        Case(
            "report-into-missing-folder",
            "outputs",
            [*report, "no/r.md"],
            "error: no/r.md: folder 'no' does not exist; create it first",
            files={"inv.yaml": inv},
        ),
        Case(
            "input-is-a-fifo",
            "outputs",
            ["run", "in.yaml"],
            "error: in.yaml: is a FIFO (named pipe), not a regular file; expected a file",
            files={"in.yaml": fifo},
        ),
        # the one file a report may create: a regular file of its own, nothing beside it
        Case(
            "report-writes-one-file",
            "outputs",
            [*report, "r.html"],
            "",
            0,
            0,
            {"inv.yaml": inv},
            outputs=["r.html"],
            contains=["wrote r.html"],
        ),
    ]


INJECTION = '=HYPERLINK("http://evil.example","click")'
DDE = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def injection() -> list[Case]:
    """Names that would run as formulas in a spreadsheet, as HTML in a page, or as terminal commands."""
    evil = inventory(info=f"{{goal: {json.dumps(INJECTION)}, scope: {json.dumps(DDE)}}}").replace(
        b"  - code: gpu\n", f"  - code: gpu\n    name: {json.dumps(DDE)}\n".encode()
    )
    html = inventory().replace(b"  - code: gpu\n", f"  - code: gpu\n    name: '{SCRIPT}'\n".encode())
    escape = "grid\x1b]0;owned\x07\r\x1b[2Kwrote report.html\x9b\u202e"
    shown = "grid\\x1b]0;owned\\x07\\r\\x1b[2Kwrote report.html\\x9b\\u202e"
    terminal = inventory(
        job_grid=f'{{input: "{escape.encode("unicode_escape").decode()}", amount: energy, unit: kWh}}'
    )
    return [
        Case(
            "xlsx-report-formulas",
            "injection",
            ["report", "inv.yaml", "--out", "r.xlsx"],
            "",
            0,
            0,
            {"inv.yaml": evil},
            outputs=["r.xlsx"],
            check="xlsx-no-formula",
        ),
        Case(
            "xlsx-results-formulas",
            "injection",
            ["export", "inv.yaml", "--results", "--out", "r.xlsx"],
            "",
            0,
            0,
            {"inv.yaml": evil},
            outputs=["r.xlsx"],
            check="xlsx-no-formula",
        ),
        Case(
            "xlsx-export-formulas",
            "injection",
            ["export", "inv.yaml", "--out", "r.xlsx"],
            "",
            0,
            0,
            {"inv.yaml": evil},
            outputs=["r.xlsx"],
            check="xlsx-no-formula",
        ),
        Case(
            "markdown-raw-html",
            "injection",
            ["report", "inv.yaml", "--out", "r.md"],
            "",
            0,
            0,
            {"inv.yaml": html},
            outputs=["r.md", "r_figures/"],
            check="no-raw-html",
        ),
        Case(
            "html-raw-html",
            "injection",
            ["report", "inv.yaml", "--out", "r.html"],
            "",
            0,
            0,
            {"inv.yaml": html},
            outputs=["r.html"],
            check="no-raw-html",
        ),
        yaml_case(
            "terminal-escapes",
            "injection",
            f"error: inv.yaml, activities.job.exchanges[0].input: no activity, flow or indicator '{shown}'",
            text=terminal,
        ),
    ]


#: What lca says of BLOOM's water (the embodied figures of Luccioni et al. 2023 give none).
BLOOM_NOTE = "note: WATER is incomplete: no data for a100_manufacturing, node_manufacturing"


def controls() -> list[Case]:
    """Valid inputs: the shipped cases and the small inventory, with their exact numbers."""
    cases_dir = DATASETS / "cases"
    found = [
        control(
            "small-inventory-yaml",
            "controls",
            {"inv.yaml": inventory()},
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "small-inventory-xlsx",
            "controls",
            {"inv.xlsx": base_workbook()},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "bloom-yaml",
            "controls",
            {"bloom.yaml": (cases_dir / "bloom.yaml").read_bytes()},
            ["run", "bloom.yaml"],
            {"GWP": BLOOM_GWP},
            rel=1e-6,
            first=BLOOM_NOTE,
            lines=1,
        ),
        control(
            "bloom-xlsx",
            "controls",
            {"bloom.xlsx": (cases_dir / "bloom.xlsx").read_bytes()},
            ["run", "bloom.xlsx"],
            {"GWP": BLOOM_GWP},
            rel=1e-6,
            first=BLOOM_NOTE,
            lines=1,
        ),
        control(
            "gpt3",
            "controls",
            {"gpt3.yaml": (cases_dir / "gpt3.yaml").read_bytes()},
            ["run", "gpt3.yaml"],
            {"GWP": GPT3_GWP},
            rel=1e-9,
            first="note: ADP is incomplete: no data for electricity_msft, gpt3_training",
            lines=3,
        ),
        control(
            "bloom-full",
            "controls",
            {"bloom-full.yaml": (cases_dir / "bloom-full.yaml").read_bytes()},
            ["run", "bloom-full.yaml"],
            {"GWP": BLOOM_FULL_GWP},
            rel=2e-6,
            lines=1,
            first="note: WATER is incomplete: no data for a100_manufacturing, node_manufacturing, freight_air, "
            "freight_road, weee_treatment, deployment_gpu_manufacturing, deployment_node_manufacturing",
        ),
    ]
    for path in sorted(
        [*cases_dir.glob("*.yaml"), *cases_dir.glob("*.xlsx"), *(DATASETS / "examples").glob("*.yaml")]
    ):
        found.append(
            Case(
                f"validate-{path.name}",
                "controls",
                ["validate", path.name],
                "",
                0,
                None,
                {path.name: path.read_bytes()},
                contains=[path.name],
            )
        )
    return found
