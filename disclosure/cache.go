package disclosure

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"math"
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
	return Suppression{Primary: append([]bool(nil), s.Primary...), Secondary: append([]bool(nil), s.Secondary...), Support: append([]bool(nil), s.Support...), fellBack: s.fellBack}
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
