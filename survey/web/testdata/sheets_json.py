#!/usr/bin/env python3
"""Prints a workbook's cells as JSON, read by openpyxl (not Go's excelize):
{"sheets": [{"name": ..., "rows": [[value, ...], ...]}]}, numbers as numbers,
text as text, empty cells as null. Exits 1 if any cell is a formula."""
import json
import sys

from openpyxl import load_workbook

wb = load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                sys.exit(f"{ws.title}!{cell.coordinate} is a formula")
        rows.append([cell.value for cell in row])
    out.append({"name": ws.title, "rows": rows})
json.dump({"sheets": out}, sys.stdout, ensure_ascii=False)
