package engine

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the prepared statements kept (each may be prepared
// on every pooled connection).
const maxCachedStmts = 128

// stmtCache keeps prepared statements by SQL text, so a root field that
// runs again skips SQLite's parse and plan, as Hasura's prepared
// statements do. (On Postgres pgx's own statement cache does this.) A
// statement evicted while a request uses it is closed when that request
// lets it go; rows already open keep it alive in database/sql.
type stmtCache struct {
	db    *sql.DB
	size  int
	mu    sync.Mutex
	ll    *list.List
	items map[string]*list.Element
}

type stmtEntry struct {
	query   string
	stmt    *sql.Stmt
	refs    int
	evicted bool
}

func newStmtCache(db *sql.DB, size int) *stmtCache {
	return &stmtCache{db: db, size: size, ll: list.New(), items: map[string]*list.Element{}}
}

// acquire returns the query's statement, preparing it on first use, and
// holds it until release. It prepares through the pool: never call it
// while holding a connection (a transaction).
func (c *stmtCache) acquire(ctx context.Context, query string) (*stmtEntry, error) {
	c.mu.Lock()
	if el, ok := c.items[query]; ok {
		c.ll.MoveToFront(el)
		ent := el.Value.(*stmtEntry)
		ent.refs++
		c.mu.Unlock()
		return ent, nil
	}
	c.mu.Unlock()
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[query]; ok {
		// Prepared meanwhile by another request: use that one.
		st.Close()
		c.ll.MoveToFront(el)
		ent := el.Value.(*stmtEntry)
		ent.refs++
		return ent, nil
	}
	ent := &stmtEntry{query: query, stmt: st, refs: 1}
	c.items[query] = c.ll.PushFront(ent)
	for c.ll.Len() > c.size {
		c.evict(c.ll.Back())
	}
	return ent, nil
}

// release lets the statement go; an evicted one is closed by its last user.
func (c *stmtCache) release(ent *stmtEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ent.refs--
	if ent.evicted && ent.refs == 0 {
		ent.stmt.Close()
	}
}

// evict drops an entry; c.mu is held.
func (c *stmtCache) evict(el *list.Element) {
	ent := el.Value.(*stmtEntry)
	c.ll.Remove(el)
	delete(c.items, ent.query)
	ent.evicted = true
	if ent.refs == 0 {
		ent.stmt.Close()
	}
}

// clear drops every statement (after Reload).
func (c *stmtCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.ll.Len() > 0 {
		c.evict(c.ll.Back())
	}
}

// stmtQuerier runs a query's statements through the cache. Mutations do
// not use it: preparing through the pool while a transaction holds a
// connection could wait on the pool forever.
type stmtQuerier struct {
	c  *stmtCache
	db *sql.DB
}

// QueryContext runs query as a cached prepared statement.
func (q stmtQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ent, err := q.c.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	defer q.c.release(ent)
	return ent.stmt.QueryContext(ctx, args...)
}

// ExecContext runs query unprepared.
func (q stmtQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.db.ExecContext(ctx, query, args...)
}
