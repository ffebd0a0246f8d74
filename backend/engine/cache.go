package engine

import (
	"container/list"
	"sync"

	"github.com/notes-app/notes/backend/internal/sqlgen"
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

// planKey identifies a compiled plan: the document, the operation and the
// variables (their JSON text, key order kept). Session variables are bound
// when the plan runs, so every user of a role shares it.
type planKey struct {
	docKey
	operation string
	variables string
}

type planEntry struct {
	key   planKey
	state *state
	plan  *sqlgen.Plan
}

// planCache is a bounded LRU of compiled plans: a repeated request skips
// parsing, validation and compilation.
type planCache struct {
	mu    sync.Mutex
	size  int
	ll    *list.List
	items map[planKey]*list.Element
}

func newPlanCache(size int) *planCache {
	return &planCache{size: size, ll: list.New(), items: map[planKey]*list.Element{}}
}

func (c *planCache) get(k planKey, st *state) (*sqlgen.Plan, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil, false
	}
	ent := el.Value.(*planEntry)
	if ent.state != st {
		c.ll.Remove(el)
		delete(c.items, k)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return ent.plan, true
}

func (c *planCache) put(k planKey, st *state, p *sqlgen.Plan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[k]; ok {
		el.Value = &planEntry{k, st, p}
		c.ll.MoveToFront(el)
		return
	}
	c.items[k] = c.ll.PushFront(&planEntry{k, st, p})
	for c.ll.Len() > c.size {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*planEntry).key)
	}
}

func (c *planCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	c.items = map[planKey]*list.Element{}
}

// len reports the number of cached plans.
func (c *planCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
