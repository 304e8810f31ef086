// Package disclosure keeps small counts from being worked out from what a
// survey publishes.
//
// A publication is a set of counts (table cells, margins, totals) tied by the
// relations a reader knows: a row sums to its total, two tables share a
// margin, Σ j·n_j is a published number of mentions, a mean published to two
// decimals bounds Σ j·n_j / n. A Problem records the counts with their true
// values and those relations.
//
// The rule Protect enforces: every primary cell (a count with 0 < value < k;
// zero is published, it is a known fact, and withholding it would say as much)
// could, from what is published, be k or more. That is, over all non-negative
// integer tables consistent with every published count and every relation,
// the largest value a primary cell can take is at least k — so nobody can
// prove it is below k, let alone pin it down. Protect hides primary cells and
// then, greedily, the fewest and smallest further (secondary) cells until the
// rule holds.
//
// The same computation that checks the rule is the attack: Attack plays the
// reader, who knows the published values and the relations, that every
// hidden non-secret count is at least 1 (zeros are published) and that every
// count is a non-negative integer, and works out the exact range of each
// hidden cell (linear programming, then branch and bound for integrality,
// component by component). Pinned turns that into the attack tool's
// verdict: the cells a reader can work out. The LPs are solved by a dense
// tableau simplex in lp.go that keeps its basis between objectives; its
// tests check it against gonum's optimize/convex/lp on random systems (see
// lp.go for why gonum's lp.Simplex is not called directly: speed, and a few
// feasible systems it calls infeasible).
//
// Protect decides that a primary cell is safe only on a witness: an integer
// table consistent with everything published in which the cell is k, checked
// relation by relation. So whatever shortcuts its search takes, a cell it
// passes is one Attack finds able to reach k; the shortcuts can only make it
// hide more than it needed to.
//
// Protect's work is bounded deterministically: each component (cells tied
// by some relation) may spend componentBudget LPs (branch and bound nodes
// included), a count and never a time, so the same problem always gives the
// same suppression. A component that runs out falls back to hiding every
// non-zero cell it holds (only its zeros stay published), which only ever
// hides more; its witness is then the true table multiplied by k, checked
// relation by relation. Publish publishes back a secondary cell the reader
// works out anyway only when the LP relaxation pins it; one it does not pin
// stays hidden.
//
// The package is pure: it knows nothing of surveys, stores or the web; the
// report model (Publish) builds the Problem from a report.
package disclosure
