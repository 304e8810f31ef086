package disclosure

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"reflect"
	"sort"
	"sync"
)

// suppressions remembers the last suppressions Publish computed, by the
// problem they solve. A snapshot is published once per language, and the
// languages differ only in labels: the problem (keys, values, relations)
// and so its suppression are the same, and Protect is the costly part.
var suppressions = newSuppressionCache(32)

type suppressionCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of [32]byte, most recent first
	byKey map[[32]byte]*list.Element
	value map[[32]byte]Suppression
}

func newSuppressionCache(max int) *suppressionCache {
	return &suppressionCache{max: max, order: list.New(), byKey: map[[32]byte]*list.Element{}, value: map[[32]byte]Suppression{}}
}

// get returns a copy of the suppression stored for key, if any.
func (c *suppressionCache) get(key [32]byte) (Suppression, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return Suppression{}, false
	}
	c.order.MoveToFront(e)
	return c.value[key].clone(), true
}

func (c *suppressionCache) put(key [32]byte, s Suppression) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		c.value[key] = s.clone()
		return
	}
	c.byKey[key] = c.order.PushFront(key)
	c.value[key] = s.clone()
	for c.order.Len() > c.max {
		old := c.order.Remove(c.order.Back()).([32]byte)
		delete(c.byKey, old)
		delete(c.value, old)
	}
}

func (s Suppression) clone() Suppression {
	return Suppression{Primary: append([]bool(nil), s.Primary...), Secondary: append([]bool(nil), s.Secondary...), Support: append([]bool(nil), s.Support...),
		Witness: append([]witness(nil), s.Witness...), fellBack: s.fellBack} // witnesses are never modified
}

// fingerprint is a hash of everything Protect reads: the cells (keys,
// values, secrets, Keep), the relations and k.
func (p *Problem) fingerprint(k int) [32]byte {
	h := sha256.New()
	var buf [8]byte
	num := func(v uint64) {
		binary.LittleEndian.PutUint64(buf[:], v)
		h.Write(buf[:])
	}
	num(uint64(k))
	num(uint64(componentBudget))
	num(uint64(p.Len()))
	for i, key := range p.keys {
		num(uint64(len(key)))
		h.Write([]byte(key))
		num(uint64(p.values[i]))
		flags := uint64(0)
		if p.secret[i] {
			flags |= 1
		}
		if p.kept(i) {
			flags |= 2
		}
		if p.withheldBefore(i) {
			flags |= 4
		}
		num(flags)
		num(uint64(p.degree(i)))
	}
	num(uint64(len(p.rels)))
	for _, r := range p.rels {
		num(math.Float64bits(r.lo))
		num(math.Float64bits(r.hi))
		num(uint64(len(r.terms)))
		for _, t := range r.terms {
			num(uint64(t.Cell))
			num(math.Float64bits(t.Coef))
		}
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Memo is one suppression as the cache holds it, by the fingerprint of
// the problem it solves, in a form any encoder keeps (indices, not
// flags; witnesses as cell and value pairs).
type Memo struct {
	Fingerprint []byte
	Cells       int
	Primary     []int
	Secondary   []int
	Support     []int
	// Witnesses are the primary cells' witnesses, each once, and
	// WitnessOf each primary cell's index among them (−1: none).
	Witnesses [][]int // cell, value, cell, value…
	WitnessOf []int
	FellBack  bool
}

func memoOf(key [32]byte, s Suppression) *Memo {
	m := &Memo{Fingerprint: key[:], Cells: len(s.Primary), FellBack: s.fellBack}
	flags := func(v []bool) []int {
		var out []int
		for i, b := range v {
			if b {
				out = append(out, i)
			}
		}
		return out
	}
	m.Primary, m.Secondary, m.Support = flags(s.Primary), flags(s.Secondary), flags(s.Support)
	at := map[uintptr]int{}
	for _, c := range m.Primary {
		w := c < len(s.Witness) && s.Witness[c] != nil
		if !w {
			m.WitnessOf = append(m.WitnessOf, -1)
			continue
		}
		ptr := reflect.ValueOf(s.Witness[c]).Pointer()
		n, ok := at[ptr]
		if !ok {
			n = len(m.Witnesses)
			at[ptr] = n
			cells := make([]int, 0, len(s.Witness[c]))
			for cell := range s.Witness[c] {
				cells = append(cells, cell)
			}
			sort.Ints(cells)
			pairs := make([]int, 0, 2*len(cells))
			for _, cell := range cells {
				pairs = append(pairs, cell, s.Witness[c][cell])
			}
			m.Witnesses = append(m.Witnesses, pairs)
		}
		m.WitnessOf = append(m.WitnessOf, n)
	}
	return m
}

// maxMemoCells bounds what Recall allocates for a memo read back: a
// publication has hundreds to a few thousand cells.
const maxMemoCells = 1 << 20

// Recall gives the cache a suppression made before (Published.Memo), so
// that disclosing the same problem again finds it instead of solving it.
// A memo that does not describe a suppression (another version's, or
// damaged) is ignored: the problem is then solved as if never seen.
func Recall(m *Memo) {
	if m == nil || len(m.Fingerprint) != 32 || m.Cells < 0 || m.Cells > maxMemoCells || len(m.WitnessOf) != len(m.Primary) {
		return
	}
	n := m.Cells
	s := Suppression{Primary: make([]bool, n), Secondary: make([]bool, n), Support: make([]bool, n), Witness: make([]witness, n), fellBack: m.FellBack}
	set := func(dst []bool, cells []int) bool {
		for _, c := range cells {
			if c < 0 || c >= n {
				return false
			}
			dst[c] = true
		}
		return true
	}
	if !set(s.Primary, m.Primary) || !set(s.Secondary, m.Secondary) || !set(s.Support, m.Support) {
		return
	}
	ws := make([]witness, len(m.Witnesses))
	for i, pairs := range m.Witnesses {
		if len(pairs)%2 != 0 {
			return
		}
		w := witness{}
		for j := 0; j < len(pairs); j += 2 {
			if pairs[j] < 0 || pairs[j] >= n {
				return
			}
			w[pairs[j]] = pairs[j+1]
		}
		ws[i] = w
	}
	for i, c := range m.Primary {
		if w := m.WitnessOf[i]; w >= 0 {
			if w >= len(ws) {
				return
			}
			s.Witness[c] = ws[w]
		}
	}
	var key [32]byte
	copy(key[:], m.Fingerprint)
	suppressions.put(key, s)
}
