"""Corpus families of workbooks: damaged parts, rows and columns, hidden data and copies, places."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from corpus_base import (
    GWP_TOTAL,
    NUMBER,
    SLOTS,
    Case,
    base_workbook,
    book_edit,
    cell_xml,
    control,
    inventory,
    lazy,
    xlsx_case,
    yaml_case,
    zip_edit,
)
from corpus_text import ALIAS_BOMB


def workbook_damage() -> list[Case]:
    """Workbook parts that raised while streaming, and files that are not what they claim."""
    c3 = lambda inner: zip_edit({"Exchanges": cell_xml("C2", inner.format(c="C2"))})  # noqa: E731
    at = "error: inv.xlsx, Exchanges!C2: "
    cells = {
        "400-digit-number": (
            '<c r="{c}" t="n"><v>' + "9" * 400 + "</v></c>",
            "the number 99999999999999999999... (400 digits) in column 'amount' is too large for "
            "a float (> 1.8e308)",
        ),
        "5000-digit-number": (
            '<c r="{c}" t="n"><v>' + "9" * 5000 + "</v></c>",
            "'99999999999999999999...' (5000 characters), not a number Excel can store in column 'amount'",
        ),
        "nan-number": (
            '<c r="{c}" t="n"><v>NaN</v></c>',
            "'NaN', not a number Excel can store in column 'amount'",
        ),
        "inf-number": (
            '<c r="{c}" t="n"><v>inf</v></c>',
            "'inf', not a number Excel can store in column 'amount'",
        ),
        "1e999-number": (
            '<c r="{c}" t="n"><v>1e999</v></c>',
            "float inf; expected a number or an lca formula",
        ),
        "text-in-number": (
            '<c r="{c}" t="n"><v>abc</v></c>',
            "'abc', not a number Excel can store in column 'amount'",
        ),
        "bad-iso-date": (
            '<c r="{c}" t="d"><v>not-a-date</v></c>',
            "'not-a-date', not a date Excel can store in column 'amount'",
        ),
        "date-in-amount": (
            '<c r="{c}" t="d"><v>2024-01-01T00:00:00</v></c>',
            "a date (2024-01-01 00:00:00) in column 'amount'; expected a number or an lca formula",
        ),
        "shared-string-out-of-range": (
            '<c r="{c}" t="s"><v>99</v></c>',
            "'99', a shared string that is not in the workbook in column 'amount'",
        ),
        "bad-boolean": (
            '<c r="{c}" t="b"><v>maybe</v></c>',
            "'maybe', not a true/false value in column 'amount'",
        ),
        "error-name": (
            '<c r="{c}" t="e"><v>#NAME?</v></c>',
            "'#NAME?', an Excel error value in column 'amount'",
        ),
        "error-div0": (
            '<c r="{c}" t="e"><v>#DIV/0!</v></c>',
            "'#DIV/0!', an Excel error value in column 'amount'",
        ),
        "error-ref": (
            '<c r="{c}" t="e"><v>#REF!</v></c>',
            "'#REF!', an Excel error value in column 'amount'",
        ),
        "formula-without-value": (
            '<c r="{c}"><f>1+1</f></c>',
            "Excel formula '=1+1' has no saved value; open and save the file in Excel, or type the value",
        ),
        "formula-cached-error": (
            '<c r="{c}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
            "'#DIV/0!', an Excel error value in column 'amount'",
        ),
    }
    found = [xlsx_case(name, "workbook", at + message, c3(inner)) for name, (inner, message) in cells.items()]
    found.append(
        control(
            "formula-with-saved-value",
            "workbook",
            {"inv.xlsx": c3('<c r="{c}"><f>50+7</f><v>57</v></c>')},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
        )
    )
    truncate = lambda d: d[: len(d) // 2]  # noqa: E731
    found += [
        xlsx_case(
            "truncated-sheet",
            "workbook",
            "error: inv.xlsx, Exchanges!1:1: the sheet's XML is damaged before "
            "its first row (ParseError: unclosed token: line 1, column 2185); open and save the file in "
            "Excel to repair it",
            zip_edit({"Exchanges": truncate}),
        ),
        xlsx_case(
            "invalid-utf8-sheet",
            "workbook",
            "error: inv.xlsx, Exchanges!3:3: the sheet's XML is damaged "
            "after row 2 (ParseError: not well-formed (invalid token): line 1, column 2964); open and save "
            "the file in Excel to repair it",
            zip_edit({"Exchanges": lambda d: d.replace(b"<t>gpu</t>", b"<t>g\xff\xfepu</t>", 1)}),
        ),
        xlsx_case(
            "entity-in-sheet",
            "workbook",
            "error: inv.xlsx: part xl/worksheets/sheet5.xml declares a "
            "DOCTYPE or XML entities; a workbook saved by Excel has none (entities are never expanded): save "
            "it again from Excel",
            zip_edit({"Exchanges": lambda d: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + d}),
        ),
        xlsx_case(
            "billion-laughs-workbook",
            "workbook",
            "error: inv.xlsx: part xl/workbook.xml declares a "
            "DOCTYPE or XML entities; a workbook saved by Excel has none (entities are never expanded): save "
            "it again from Excel",
            zip_edit(
                {
                    "xl/workbook.xml": lambda d: (
                        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;">]>' + d
                    )
                }
            ),
        ),
        xlsx_case(
            "sheet-part-missing",
            "workbook",
            "error: inv.xlsx: missing sheet 'Exchanges'; expected sheets "
            "Model, Activities, Exchanges (see README)",
            zip_edit({"Exchanges": lambda d: None}),
        ),
        xlsx_case(
            "zip-bomb",
            "workbook",
            "error: inv.xlsx: workbook expands to 300 MiB, more than 200 MiB",
            lazy(lambda: zip_edit({"+xl/media/padding.bin": lambda d: b"\0" * (300 * 1024 * 1024)})),
        ),
        xlsx_case(
            "not-a-zip",
            "workbook",
            "error: inv.xlsx: not an xlsx workbook (not a zip container); save it as .xlsx from Excel",
            b"name,amount\ngrid,57\n",
        ),
        xlsx_case(
            "empty-workbook-file",
            "workbook",
            "error: inv.xlsx: not an xlsx workbook (not a zip container); save it as .xlsx from Excel",
            b"",
        ),
        xlsx_case(
            "old-xls",
            "workbook",
            "error: inv.xlsx: not an xlsx workbook (an old .xls (OLE) file); save it as .xlsx from Excel",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024,
        ),
        xlsx_case(
            "password-protected",
            "workbook",
            "error: inv.xlsx: the workbook is password-protected "
            "(encrypted); remove the password in Excel (File > Info > Protect Workbook) and save it as .xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 504
            + "EncryptionInfo".encode("utf-16-le")
            + b"\0" * 50
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 1024,
        ),
        xlsx_case(
            "too-many-parts",
            "workbook",
            "error: inv.xlsx: workbook has 10,016 parts, more than 10,000; expected an inventory",
            lazy(lambda: _with_parts(10_000)),
        ),
        xlsx_case(
            "zip-without-workbook",
            "workbook",
            "error: inv.xlsx: not an xlsx workbook (no xl/workbook.xml part)",
            zip_edit({"xl/workbook.xml": lambda d: None}),
        ),
        Case(
            "xls-suffix",
            "workbook",
            ["run", "inv.xls"],
            "error: inv.xls: unsupported file type '.xls'; expected .yaml, .yml or .xlsx",
            files={"inv.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"},
        ),
    ]
    return found


def _with_parts(count: int) -> bytes:
    """The small workbook with ``count`` more (empty) parts in its zip container."""
    out = io.BytesIO(base_workbook())
    with zipfile.ZipFile(out, "a") as archive:
        for n in range(count):
            archive.writestr(f"xl/extra/{n}.bin", b"")
    return out.getvalue()


def rows_and_columns() -> list[Case]:
    """Rows past a stale <dimension> or the row cap, and columns past the layout."""

    def one_more_row(data: bytes) -> bytes:  # a 2 kg CO2 eq row after the last one, dimension unchanged
        row = (
            '<row r="7"><c r="A7" t="inlineStr"><is><t>job</t></is></c><c r="B7" t="inlineStr"><is><t>GWP</t>'
            '</is></c><c r="C7" t="n"><v>2</v></c><c r="D7" t="inlineStr"><is><t>kg CO2 eq</t></is></c></row>'
        )
        return data.replace(b"</sheetData>", row.encode() + b"</sheetData>")

    def lie(data: bytes) -> bytes:  # the dimension claims two rows only
        return re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:D2"/>', data)

    def far_row(data: bytes) -> bytes:
        row = '<row r="100002"><c r="A100002" t="inlineStr"><is><t>job</t></is></c></row>'
        return data.replace(b"</sheetData>", row.encode() + b"</sheetData>")

    def comment_rows(data: bytes) -> bytes:
        rows = "".join(
            f'<row r="{r}"><c r="U{r}" t="inlineStr"><is><t>c</t></is></c></row>' for r in range(7, 100_009)
        )
        return data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    def production_in_af(book):
        ws = book["Activities"]
        ws["F1"], ws["AF1"], ws["AF4"] = (
            None,
            "production",
            2,
        )  # job makes 2 runs: per run, half of each input

    found = [
        control(
            "stale-dimension",
            "rows",
            {"inv.xlsx": zip_edit({"Exchanges": lambda d: lie(one_more_row(d))})},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL + 2.0},
        ),
        control(
            "dimension-of-one-cell",
            "rows",
            {
                "inv.xlsx": zip_edit(
                    {"Exchanges": lambda d: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1"/>', d)}
                )
            },
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "no-dimension",
            "rows",
            {"inv.xlsx": zip_edit({"Exchanges": lambda d: re.sub(rb'<dimension ref="[^"]+"/>', b"", d)})},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
        ),
        # production 2 in column AF: per run of job, (57 + 30 + 14) / 2 = 50.5 kg CO2 eq
        control(
            "production-in-af",
            "rows",
            {"inv.xlsx": book_edit(production_in_af)},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL / 2},
        ),
        xlsx_case(
            "row-past-the-cap",
            "rows",
            "error: inv.xlsx, Exchanges!100002:100002: row 100,002 is past the "
            "100,000-row limit; split the inventory",
            zip_edit({"Exchanges": far_row}),
        ),
        xlsx_case(
            "100k-comment-rows",
            "rows",
            "error: inv.xlsx, Exchanges!100002:100002: row 100,002 is past the "
            "100,000-row limit; split the inventory",
            lazy(lambda: zip_edit({"Exchanges": comment_rows})),
            seconds=60,
        ),
        xlsx_case(
            "value-under-no-header",
            "rows",
            "error: inv.xlsx, Exchanges!Z4: a value in column Z, which has "
            "no header in row 1; name the column or clear its cells",
            zip_edit({"Exchanges": cell_xml("Z4", NUMBER.format(c="Z4", v=5))}),
        ),
        xlsx_case(
            "merged-header",
            "rows",
            "error: inv.xlsx, Exchanges!A1:C1: header cells A1:C1 are merged; give "
            "each column its own header cell",
            book_edit(lambda b: b["Exchanges"].merge_cells("A1:C1")),
        ),
        xlsx_case(
            "merged-cells",
            "rows",
            "error: inv.xlsx, Exchanges!A4:A6: cells A4:A6 are merged: only the "
            "first holds a value, the others read as empty; unmerge them and fill each cell",
            book_edit(lambda b: b["Exchanges"].merge_cells("A4:A6")),
            lines=None,
        ),
        xlsx_case(
            "header-cleared",
            "rows",
            "error: inv.xlsx, Exchanges!1:1: missing required column 'amount' "
            "(column C holds values under no header)",
            book_edit(lambda b: b["Exchanges"].__setitem__("C1", None)),
        ),
    ]
    return found


def hidden_and_duplicates() -> list[Case]:
    """Data a workbook hides, rows copied twice, a flow with two units: warned or refused."""

    def hide(state):
        return lambda b: setattr(b["Exchanges"], "sheet_state", state)

    def hide_rows(b):
        for r in (3, 5):
            b["Exchanges"].row_dimensions[r].hidden = True

    def copy_row(b):
        ws = b["Exchanges"]
        ws.append([c.value for c in ws[6]])

    def two_units(b):
        ws = b["Flows"]
        ws.append(["ch4", "methane", "g", "ADP", 1])

    return [
        control(
            "hidden-sheet",
            "hidden",
            {"inv.xlsx": book_edit(hide("hidden"))},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
            first="warning: inv.xlsx, Exchanges: the sheet is hidden; its 5 rows are read",
            lines=1,
        ),
        control(
            "very-hidden-sheet",
            "hidden",
            {"inv.xlsx": book_edit(hide("veryHidden"))},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
            first="warning: inv.xlsx, Exchanges: the sheet is very hidden (only a macro can "
            "show it); its 5 rows are read",
            lines=1,
        ),
        control(
            "hidden-rows",
            "hidden",
            {"inv.xlsx": book_edit(hide_rows)},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
            first="warning: inv.xlsx, Exchanges!3:3: rows 3, 5 are hidden; they are read (unhide to see what "
            "counts)",
            lines=1,
        ),
        # the copied ch4 row counts twice: 101 + 14 = 115 kg CO2 eq, with a warning
        control(
            "duplicated-exchange-row",
            "hidden",
            {"inv.xlsx": book_edit(copy_row)},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL + 14.0},
            first="warning: inv.xlsx, Exchanges!B7: the same input, amount and unit "
            "as exchange 3 of 'job'; both are counted (their amounts add up): delete one if it is a copy",
            lines=1,
        ),
        control(
            "duplicated-exchange-yaml",
            "hidden",
            {"inv.yaml": inventory(more="\n      - " + SLOTS["job_ch4"])},
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL + 14.0},
            first="warning: inv.yaml, activities.job.exchanges[3]."
            "input: the same input, amount and unit as exchange 3 of 'job'; both are counted (their amounts add "
            "up): delete one if it is a copy",
            lines=1,
        ),
        xlsx_case(
            "flow-with-two-units",
            "hidden",
            "error: inv.xlsx, Flows!C3: flow 'ch4' has unit 'g' here and 'kg' on row 2; a flow has one unit",
            book_edit(two_units),
        ),
        yaml_case(
            "flow-defined-twice",
            "hidden",
            "error: inv.yaml, flows[1].code: flow 'ch4' is defined twice",
            slots={"flow": SLOTS["flow"] + "\n  - {code: ch4, name: methane, unit: g, factors: {GWP: 28}}"},
        ),
        # an info cell is read as YAML only when that is safe: an alias bomb stays the text it is
        control(
            "info-cell-alias-bomb",
            "hidden",
            {"inv.xlsx": book_edit(lambda b: b["Model"].append(["info.bomb", ALIAS_BOMB]))},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
        ),
        control(
            "info-datasets-spoof-yaml",
            "hidden",
            {"inv.yaml": inventory(info="{goal: x, datasets: {version: '9999.1', entries: [grid/FR]}}")},
            ["run", "inv.yaml"],
            {"GWP": GWP_TOTAL},
            first="warning: inv.yaml, info.datasets: the dataset version and entries are recorded by lca from "
            "the entries the inventory uses; the value given here is ignored",
            lines=1,
        ),
        control(
            "info-datasets-spoof-excel",
            "hidden",
            {"inv.xlsx": book_edit(lambda b: b["Model"].append(["info.datasets", "{version: '9999.1'}"]))},
            ["run", "inv.xlsx"],
            {"GWP": GWP_TOTAL},
            first="warning: inv.xlsx, Model!B9: the dataset version and entries are recorded by lca from the entries "
            "the inventory uses; the value given here is ignored",
            lines=1,
        ),
    ]


def locations() -> list[Case]:
    """Refusals that named no place, or the wrong one."""

    def cell(sheet, coord, value):
        return book_edit(lambda b: b[sheet].__setitem__(coord, value))

    loop = inventory(
        p_energy="{amount: hours * 2 kW, unit: kWh}".replace(" 2 kW", " 2"),
        p_hours="{amount: energy / 2, unit: h}",
    )
    found = [
        xlsx_case(
            "date-as-code",
            "locations",
            "error: inv.xlsx, Activities!A2: a date (2024-01-01 00:00:00) in column 'code'; expected text",
            cell("Activities", "A2", dt.datetime(2024, 1, 1)),
        ),
        xlsx_case(
            "error-value-as-code",
            "locations",
            "error: inv.xlsx, Activities!A2: '#NAME?', an Excel error value in column 'code'",
            zip_edit({"Activities": cell_xml("A2", '<c r="A2" t="e"><v>#NAME?</v></c>')}),
        ),
        xlsx_case(
            "nan-text-amount",
            "locations",
            "error: inv.xlsx, Exchanges!C2: text 'nan' in column 'amount' is not a finite number",
            book_edit(
                lambda b: (
                    b["Exchanges"].__setitem__("C2", "nan"),
                    b["Exchanges"].__setitem__("G2", "lognormal"),
                    b["Exchanges"].__setitem__("H2", 1.2),
                )
            ),
        ),
        xlsx_case(
            "utilisation-subnormal",
            "locations",
            "error: inv.xlsx, Exchanges!F5: 9.99989e-321 is below the "
            "smallest normal float (2.2e-308); it is the share of the hardware's life it is busy",
            cell("Exchanges", "F5", 1e-320),
        ),
        yaml_case(
            "parameter-loop",
            "locations",
            "error: inv.yaml, parameters.energy.amount: parameters depend on "
            "each other in a loop: energy -> hours -> energy",
            text=loop,
        ),
        xlsx_case(
            "parameter-loop-excel",
            "locations",
            "error: inv.xlsx, Parameters!B2: parameters depend on each "
            "other in a loop: energy -> hours -> energy",
            book_edit(
                lambda b: (
                    b["Parameters"].__setitem__("B2", "hours * 2"),
                    b["Parameters"].__setitem__("B3", "energy / 2"),
                )
            ),
        ),
        xlsx_case(
            "sd-beside-uniform-excel",
            "locations",
            "error: inv.xlsx, Exchanges!J2: sd is not read by "
            "distribution 'uniform'; clear it or choose the distribution it belongs to",
            book_edit(
                lambda b: [
                    b["Exchanges"].__setitem__(k, v)
                    for k, v in (("G2", "uniform"), ("J2", 3), ("K2", 50), ("L2", 60))
                ]
            ),
        ),
        xlsx_case(
            "sd-true-excel",
            "locations",
            "error: inv.xlsx, Exchanges!J2: bool True in number column 'sd'; expected a number",
            book_edit(
                lambda b: [b["Exchanges"].__setitem__(k, v) for k, v in (("G2", "normal"), ("J2", True))]
            ),
        ),
        yaml_case(
            "monte-carlo-overflow",
            "locations",
            "error: inv.yaml: a Monte Carlo iteration has no finite "
            "solution (the technosphere drawn is singular or its loops do not converge)",
            slots={  # each amount below 1e100 (compile's MAX_AMOUNT); draws with a GSD of 1e30 overflow
                "grid_gwp": "{input: GWP, amount: 1.0e+90, unit: g CO2 eq, gsd: 1.0e+60}",
                "p_energy": "{amount: 1.0e+90, unit: kWh, gsd: 1.0e+60}",
            },
            argv=["run", "inv.yaml", "--iterations", "100", "--seed", "1"],
        ),
    ]
    return found
