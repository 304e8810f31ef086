package feedback

import (
	"slices"
	"testing"
)

// Hand-worked tables, k = 5: which rows each column hides.
func TestRulesOnHandWorkedTables(t *testing.T) {
	cases := []struct {
		name      string
		partition bool
		n, base   []int
		counts    [][]int // [row][column]
		// want[column] lists the hidden rows; -1 alone: the column whole.
		want [][]int
	}{
		{
			name:      "all respondents alone, a partition with one small row: the next smallest goes too",
			partition: true, n: []int{100}, base: []int{100},
			counts: [][]int{{3}, {50}, {20}, {27}},
			want:   [][]int{{0, 2}},
		},
		{
			name:      "hidden rows adding up to under k + 1: more go until they can reach k",
			partition: true, n: []int{60}, base: []int{60},
			counts: [][]int{{1}, {2}, {6}, {51}},
			want:   [][]int{{0, 1, 2}},
		},
		{
			name:      "1 to k−1 not asked: the column whole",
			partition: true, n: []int{100}, base: []int{97},
			counts: [][]int{{40}, {57}},
			want:   [][]int{{-1}},
		},
		{
			name:      "a group whose complement count is small: hidden in the group, never in all",
			partition: false, n: []int{40, 100}, base: []int{40, 100},
			counts: [][]int{{20, 22}, {10, 30}},
			want:   [][]int{{0}, {}},
		},
		{
			name:      "all hides a row of a partition: the group column whole",
			partition: true, n: []int{40, 100}, base: []int{40, 100},
			counts: [][]int{{1, 3}, {20, 50}, {19, 47}},
			want:   [][]int{{-1}, {0, 2}},
		},
		{
			name:      "a group's complement base small: the group column whole",
			partition: false, n: []int{40, 100}, base: []int{38, 40},
			counts: [][]int{{20, 20}},
			want:   [][]int{{-1}, {}},
		},
		{
			name:      "a multi's row where all is small: hidden in the group too",
			partition: false, n: []int{40, 100}, base: []int{40, 100},
			counts: [][]int{{2, 4}, {20, 50}},
			want:   [][]int{{0}, {0}},
		},
		{
			name:      "a group row hidden with all = k: its complement would be proved under k, the group column whole",
			partition: false, n: []int{40, 100}, base: []int{40, 100},
			counts: [][]int{{2, 5}, {20, 50}},
			want:   [][]int{{-1}, {}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tb := newTable(5, tc.partition, tc.n, tc.base, tc.counts)
			tb.protect()
			for c := range tc.n {
				var got []int
				if tb.colHidden[c] {
					got = []int{-1}
				} else {
					for r := range tc.counts {
						if tb.hidden[r][c] {
							got = append(got, r)
						}
					}
				}
				if !slices.Equal(got, tc.want[c]) && !(len(got) == 0 && len(tc.want[c]) == 0) {
					t.Errorf("column %d: got hidden %v, want %v", c, got, tc.want[c])
				}
			}
		})
	}
}
