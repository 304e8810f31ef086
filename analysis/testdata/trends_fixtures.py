#!/usr/bin/python3
"""Expected values for analysis/paired_test.go, computed with scipy.

Run from the repository root:

    /usr/bin/python3 analysis/testdata/trends_fixtures.py > analysis/testdata/trends_fixtures.json

Written for Debian's python3-scipy 1.10.1 (numpy 1.24). The seeds are fixed,
so the output is the same on every run. statsmodels is not used (not
installed): McNemar's exact p is scipy.stats.binomtest(b, b + c, 0.5), and
its chi-square version is computed here by hand, (|b - c| - 1)^2 / (b + c)
with scipy.stats.chi2.sf(x2, 1), as R's mcnemar.test and statsmodels'
mcnemar(exact=False, correction=True) define it.

Wilcoxon: scipy.stats.wilcoxon(second, first, zero_method="wilcox",
correction=True, alternative="two-sided") with method="exact" when the
panel has at most 50 libraries, no zero and no tied difference (what
method="auto" picks then), and method="approx" otherwise. scipy 1.10's
"auto" would keep "exact" for tied differences (truncating half ranks),
which the Go code does not follow: with ties the exact distribution of the
untied ranks does not apply, so the fixture asks scipy for "approx".
"""
import json
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")  # scipy warns about small approx samples


def mcnemar_case(name, both, b, c, neither, note=""):
    n = both + b + c + neither
    case = {"name": name, "both": both, "b": b, "c": c, "neither": neither}
    if note:
        case["note"] = note
    if n == 0:
        case.update(method="", p=None, statistic=None)
    elif b + c == 0:
        # scipy.stats.binomtest refuses n = 0; with no discordant pair the
        # exact conditional distribution is a point mass and p = 1.
        case.update(method="exact", p=1.0, statistic=None, source="convention: no discordant pair")
    elif b + c < 25:
        p = stats.binomtest(b, b + c, 0.5, alternative="two-sided").pvalue
        case.update(method="exact", p=float(p), statistic=None, source="scipy.stats.binomtest")
    else:
        x2 = (abs(b - c) - 1) ** 2 / (b + c)
        case.update(method="chi_square", statistic=float(x2), p=float(stats.chi2.sf(x2, 1)),
                    source="by hand, scipy.stats.chi2.sf")
    return case


def wilcoxon_case(name, first, second, note=""):
    first = [float(v) for v in first]
    second = [float(v) for v in second]
    x, y = np.array(second), np.array(first)
    d = x - y
    nz = d[d != 0]
    ties = len(np.unique(np.abs(nz))) < len(nz)
    case = {"name": name, "first": first, "second": second, "n": len(d), "non_zero": int(len(nz)), "ties": bool(ties)}
    if note:
        case["note"] = note
    if len(d) == 0:
        case.update(method="", w=0.0, p=None, rank_plus=0.0, rank_minus=0.0, z=None)
        return case
    if len(nz) == 0:
        # scipy raises ValueError when every difference is zero; the exact
        # distribution over no ranks is a point mass at 0, p = 1.
        case.update(method="exact", w=0.0, p=1.0, rank_plus=0.0, rank_minus=0.0, z=None,
                    source="convention: every difference zero")
        return case
    r = stats.rankdata(np.abs(nz))
    case["rank_plus"] = float(r[nz > 0].sum())
    case["rank_minus"] = float(r[nz < 0].sum())
    exact = len(d) <= 50 and len(nz) == len(d) and not ties
    method = "exact" if exact else "approx"
    res = stats.wilcoxon(x, y, zero_method="wilcox", correction=True, alternative="two-sided", method=method)
    case.update(method="exact" if exact else "normal", w=float(res.statistic), p=float(res.pvalue),
                source="scipy.stats.wilcoxon(method=%r, correction=True)" % method)
    case["z"] = None if exact else float(res.zstatistic)
    return case


def distinct(rng, n, scale=10.0):
    """n pairs whose differences are non-zero and have distinct sizes."""
    while True:
        first = np.round(rng.normal(50, scale, n), 3)
        second = np.round(first + rng.normal(1.0, scale, n), 3)
        d = np.abs(second - first)
        if np.all(d != 0) and len(np.unique(d)) == n:
            return first, second


rng = np.random.default_rng(20261201)

mcnemar = [
    mcnemar_case("empty panel", 0, 0, 0, 0),
    mcnemar_case("one library, unchanged", 1, 0, 0, 0),
    mcnemar_case("one library, changed", 0, 0, 1, 0),
    mcnemar_case("no discordant pair", 20, 0, 0, 25),
    mcnemar_case("small b + c", 12, 3, 9, 21),
    mcnemar_case("b = c, exact", 10, 4, 4, 10),
    mcnemar_case("one-sided change", 5, 0, 7, 3),
    mcnemar_case("b + c = 24, last exact", 30, 7, 17, 30),
    mcnemar_case("b + c = 25, first chi-square", 30, 7, 18, 30),
    mcnemar_case("b = c, chi-square", 10, 15, 15, 10),
    mcnemar_case("45-library panel", 14, 9, 17, 5),
    mcnemar_case("presidential approval", 794, 150, 86, 570,
                 note="Agresti, An Introduction to Categorical Data Analysis (2007), Table 8.1; R's mcnemar.test example: X2 = 16.818, p = 4.115e-05"),
]
for i in range(8):  # random panels of 10 to 400 libraries
    n = int(rng.integers(10, 400))
    cells = rng.multinomial(n, rng.dirichlet([2, 1, 1, 2]))
    mcnemar.append(mcnemar_case("random %d" % i, *[int(v) for v in cells]))

wilcoxon = [
    wilcoxon_case("empty panel", [], []),
    wilcoxon_case("one library", [3], [5]),
    wilcoxon_case("one library, no change", [4], [4]),
    wilcoxon_case("every difference zero", [1, 2, 3, 4], [1, 2, 3, 4]),
    wilcoxon_case("two libraries", [10, 20], [12, 17]),
    wilcoxon_case("W at the centre", [0, 0, 0, 0], [1, -2, -3, 4], note="R+ = R- = 5: p = 1"),
    wilcoxon_case("Hollander and Wolfe", [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29],
                  [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30],
                  note="Hollander & Wolfe (1973), p. 29, R's wilcox.test example: V = 40, one-sided p = 0.01953, two-sided 0.03906"),
    wilcoxon_case("small with ties", [1, 2, 3, 4, 5, 6], [2, 3, 4, 2, 7, 9]),
    wilcoxon_case("small with a zero", [10, 20, 30, 40, 50], [12, 20, 35, 39, 58]),
    wilcoxon_case("all increases", [1, 2, 3, 4, 5, 6, 7], [2, 4, 6, 8, 10, 12, 14]),
]
for n in (8, 20, 50):
    f, s = distinct(rng, n)
    wilcoxon.append(wilcoxon_case("distinct, %d libraries" % n, f, s))
for n in (51, 120):
    f, s = distinct(rng, n)
    wilcoxon.append(wilcoxon_case("distinct, %d libraries (normal)" % n, f, s))
# Likert codes 1..5 in a 45-library panel: many ties and zeros.
for i in range(3):
    f = rng.integers(1, 6, 45)
    s = np.clip(f + rng.integers(-1, 3, 45), 1, 5)
    wilcoxon.append(wilcoxon_case("likert, 45 libraries, %d" % i, f, s))
# Numbers: populations served, some unchanged, some rounded alike.
f = rng.integers(50, 200, 60) * 1000
s = f + rng.choice([0, 0, 1000, -1000, 5000, 20000], 60)
wilcoxon.append(wilcoxon_case("populations, 60 libraries", f, s))
f = rng.integers(0, 20, 30)
s = f + rng.integers(-3, 4, 30)
wilcoxon.append(wilcoxon_case("staff counts, 30 libraries", f, s))

json.dump({"generator": "analysis/testdata/trends_fixtures.py",
           "scipy": scipy.__version__, "numpy": np.__version__,
           "mcnemar": mcnemar, "wilcoxon": wilcoxon}, sys.stdout, indent=1)
sys.stdout.write("\n")
