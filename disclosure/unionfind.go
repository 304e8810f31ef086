package disclosure

// unionFind groups cells into connected components. The smaller root always
// wins a union, so components come out in the same order whatever the order
// of the relations (suppression is deterministic).
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

// find is i's root, halving the path on the way.
func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

// union joins the components of a and b.
func (u unionFind) union(a, b int) {
	a, b = u.find(a), u.find(b)
	if a < b {
		u[b] = a
	} else if b < a {
		u[a] = b
	}
}
