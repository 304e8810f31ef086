#!/usr/bin/env python3
"""An independent reader of Canvass exports (openpyxl, not Go's excelize).

    check_workbook.py RAW.xlsx RAW.jsonl [OTHER.xlsx ...]

Checks that the raw workbook's Responses sheets hold, cell for cell, the
values of the JSON Lines export of the same responses, and that no cell of
any workbook is a formula. Exits 1 with the first differences.
"""
import datetime
import json
import sys

from openpyxl import load_workbook

MARKER = " […truncated by Canvass]"


def no_formulas(path):
    wb = load_workbook(path)
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    bad.append(f"{path}: {ws.title}!{cell.coordinate} is a formula: {cell.value!r}")
    return bad


def same(key, cell, want):
    if cell is None or cell == "":
        return want is None
    if isinstance(cell, datetime.datetime):
        if key == "_submitted_at":
            return cell.strftime("%Y-%m-%dT%H:%M:%SZ") == want
        return cell.strftime("%Y-%m-%d") == want
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return isinstance(want, (int, float)) and abs(float(cell) - float(want)) <= 1e-9 * max(1.0, abs(float(want)))
    if isinstance(cell, str):
        if cell.endswith(MARKER):
            return isinstance(want, str) and want.startswith(cell[: -len(MARKER)])
        return cell == want
    return False


def main():
    raw, jsonl, others = sys.argv[1], sys.argv[2], sys.argv[3:]
    problems = no_formulas(raw)
    for other in others:
        problems += no_formulas(other)
    wb = load_workbook(raw, read_only=True)
    rows = []
    header = None
    for ws in wb.worksheets:
        if not ws.title.startswith("Responses"):
            continue
        it = ws.iter_rows(values_only=True)
        sheet_header = list(next(it))
        if header is None:
            header = sheet_header
        elif sheet_header != header:
            problems.append(f"{ws.title}: header differs")
        rows.extend(it)
    with open(jsonl, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if len(rows) != len(records):
        problems.append(f"{len(rows)} rows in the workbook, {len(records)} lines of JSON")
    for n, (row, rec) in enumerate(zip(rows, records), start=2):
        if list(rec.keys()) != header:
            diff = [(a, b) for a, b in zip(list(rec.keys()), header) if a != b][:3]
            problems.append(f"line {n - 1}: keys differ from the header: {len(rec)} vs {len(header)}: {diff}")
            break
        for key, cell in zip(header, row):
            if not same(key, cell, rec[key]):
                problems.append(f"row {n}, {key}: workbook {cell!r}, JSON {rec[key]!r}")
        if len(problems) > 20:
            break
    if problems:
        print("\n".join(problems[:20]))
        return 1
    print(f"ok: {len(rows)} rows, {len(header)} columns, no formulas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
