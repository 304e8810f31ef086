#!/usr/bin/env python3
"""An independent reader of a Canvass workbook (openpyxl, not excelize).

    dump_workbook.py BOOK.xlsx

Prints the workbook as JSON, {"sheets": [{"name": …, "rows": [[…], …]}]},
each cell as openpyxl reads it: a number, a string, or null when empty.
A formula anywhere is an error (exit 1).
"""
import json
import sys

from openpyxl import load_workbook


def main():
    wb = load_workbook(sys.argv[1])
    out = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            cells = []
            for cell in row:
                if cell.data_type == "f":
                    print(f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}", file=sys.stderr)
                    return 1
                v = cell.value
                if isinstance(v, bool) or v is None or isinstance(v, (int, float, str)):
                    cells.append(v)
                else:
                    cells.append(str(v))
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        out.append({"name": ws.title, "rows": rows})
    json.dump({"sheets": out}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
