#!/usr/bin/env python3
"""openpyxl's write-only mode writing the same rows as Canvass's raw export.

    openpyxl_write.py ROWS.jsonl TOTAL OUT.xlsx

ROWS.jsonl holds a pool of rows (one JSON object per line, keyed by column,
as Canvass's JSON Lines export writes them); they are written again and
again until TOTAL rows, after a header row. Prints the seconds the writing
took (reading the pool is not timed).
"""
import datetime
import json
import sys
import time

from openpyxl import Workbook


def main():
    pool_path, total, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(pool_path, encoding="utf-8") as f:
        pool = [json.loads(line) for line in f if line.strip()]
    header = list(pool[0].keys())
    rows = []
    for rec in pool:
        row = []
        for key in header:
            v = rec[key]
            if key == "_submitted_at" and v:
                v = datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")
            row.append(v)
        rows.append(row)
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Responses")
    ws.append(header)
    for i in range(total):
        ws.append(rows[i % len(rows)])
    wb.save(out)
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
