package engine

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/internal/testenv"
)

func TestStmtCache(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := newStmtCache(db.DB, 2)
	q := stmtQuerier{c: c, db: db.DB}
	one := func(query string, arg int) int {
		t.Helper()
		rows, err := q.QueryContext(ctx, query, arg)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var n int
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		return n
	}

	t.Run("reuses and bounds", func(t *testing.T) {
		for i := range 5 {
			if got := one("SELECT ?1 + 1", i); got != i+1 {
				t.Fatalf("got %d", got)
			}
		}
		for i := range 3 {
			one(fmt.Sprintf("SELECT ?1 + %d", i), 1)
		}
		if c.ll.Len() != 2 || len(c.items) != 2 {
			t.Fatalf("%d entries kept, want 2", c.ll.Len())
		}
	})

	t.Run("an evicted statement in use stays open until released", func(t *testing.T) {
		ent, err := c.acquire(ctx, "SELECT ?1 * 2")
		if err != nil {
			t.Fatal(err)
		}
		one("SELECT ?1 * 3", 1)
		one("SELECT ?1 * 4", 1) // evicts ent, still held
		if !ent.evicted {
			t.Fatal("not evicted")
		}
		var n int
		if err := ent.stmt.QueryRowContext(ctx, 21).Scan(&n); err != nil || n != 42 {
			t.Fatalf("held statement: %d, %v", n, err)
		}
		c.release(ent)
		if err := ent.stmt.QueryRowContext(ctx, 21).Scan(&n); err == nil {
			t.Fatal("released evicted statement still open")
		}
	})

	t.Run("concurrent use", func(t *testing.T) {
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 50 {
					query := fmt.Sprintf("SELECT ?1 + %d", (g+i)%4)
					rows, err := q.QueryContext(ctx, query, i)
					if err != nil {
						t.Error(err)
						return
					}
					var n int
					for rows.Next() {
						rows.Scan(&n)
					}
					rows.Close()
					if n != i+(g+i)%4 {
						t.Errorf("%s with %d = %d", query, i, n)
					}
				}
			}()
		}
		wg.Wait()
		c.clear()
		if c.ll.Len() != 0 {
			t.Fatal("clear kept entries")
		}
	})
}
