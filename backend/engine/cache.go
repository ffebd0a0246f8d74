package engine

import (
	"container/list"
	"sync"
)

// docKey identifies a parsed document: the schema it was validated
// against (role, backend-only mode) and the query text.
type docKey struct {
	role        string
	backendOnly bool
	query       string
}

type docEntry struct {
	key   docKey
	state *state
	prep  *prepared
}

// docCache is a bounded LRU of prepared documents, so a repeated query
// skips parsing and validation.
type docCache struct {
	mu    sync.Mutex
	size  int
	ll    *list.List
	items map[docKey]*list.Element
}

func newDocCache(size int) *docCache {
	return &docCache{size: size, ll: list.New(), items: map[docKey]*list.Element{}}
}

func (c *docCache) get(k docKey, st *state) (*prepared, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil, false
	}
	ent := el.Value.(*docEntry)
	if ent.state != st {
		c.ll.Remove(el)
		delete(c.items, k)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return ent.prep, true
}

func (c *docCache) put(k docKey, st *state, p *prepared) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		el.Value = &docEntry{k, st, p}
		c.ll.MoveToFront(el)
		return
	}
	c.items[k] = c.ll.PushFront(&docEntry{k, st, p})
	for c.ll.Len() > c.size {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*docEntry).key)
	}
}

func (c *docCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	c.items = map[docKey]*list.Element{}
}
