#!/usr/bin/env python3
"""An independent reader of a Canvass CSV file (Python's csv module).

    dump_csv.py FILE.csv

Prints the rows as JSON, [[…], …], every cell a string as the csv module
reads it (a byte order mark at the start is dropped).
"""
import csv
import json
import sys


def main():
    with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    json.dump(rows, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
