package sqlgen

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
)

var errCheck = gqlerr.New(gqlerr.PermissionError, "$", "check constraint of an insert/update permission has failed")

// runStmt executes a compiled statement and assembles its answer.
func (c *compiler) runStmt(ctx context.Context, q Querier, session map[string]string, st *stmt, out *output, errPath string) (res json.RawMessage, err error) {
	bind := func(args []any) []any {
		b, err := bindArgs(c.d, args, session)
		if err != nil {
			panic(bindError{err})
		}
		return b
	}
	defer func() {
		if r := recover(); r != nil {
			be, ok := r.(bindError)
			if !ok {
				panic(r)
			}
			err = be.err
			res = nil
		}
	}()
	var rows [][]string
	scan := func(r *sql.Rows, skipFirst bool) error {
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				return err
			}
			start := 0
			if skipFirst {
				start = 1
			}
			if vals[start].String != "1" && vals[start].String != "true" {
				e := *errCheck
				e.Path = errPath
				return &e
			}
			row := make([]string, 0, len(cols))
			for _, v := range vals[start+1:] {
				if v.Valid {
					row = append(row, v.String)
				} else {
					row = append(row, "null")
				}
			}
			rows = append(rows, row)
		}
		return r.Err()
	}
	wrap := func(err error) error {
		if ge, ok := err.(*gqlerr.Error); ok {
			return ge
		}
		return &DBError{Err: err, Path: errPath}
	}
	if st.noop {
		return out.assemble(nil), nil
	}
	if !st.deleteFirst {
		parts := st.multi
		if st.sql != "" {
			parts = []part{{sql: st.sql, args: st.args}}
		}
		for _, p := range parts {
			r, err := q.QueryContext(ctx, p.sql, bind(p.args)...)
			if err != nil {
				return nil, wrap(err)
			}
			err = scan(r, false)
			r.Close()
			if err != nil {
				return nil, wrap(err)
			}
		}
		return out.assemble(rows), nil
	}
	if st.deleteFirst {
		// SQLite delete: read the rows (with rowid) first, then delete them.
		r, err := q.QueryContext(ctx, st.readBack, bind(st.readBackArgs)...)
		if err != nil {
			return nil, wrap(err)
		}
		var ids []any
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				r.Close()
				return nil, wrap(err)
			}
			ids = append(ids, vals[0].String)
			row := []string{}
			for _, v := range vals[2:] {
				row = append(row, nullJSON(v))
			}
			rows = append(rows, row)
		}
		r.Close()
		if len(ids) > 0 {
			ph := make([]string, len(ids))
			for i := range ids {
				ph[i] = "?" + strconv.Itoa(i+1)
			}
			if _, err := q.ExecContext(ctx, "DELETE FROM "+st.table+" WHERE rowid IN ("+strings.Join(ph, ", ")+")", ids...); err != nil {
				return nil, wrap(err)
			}
		}
		return out.assemble(rows), nil
	}
	return out.assemble(rows), nil
}

func nullJSON(v sql.NullString) string {
	if v.Valid {
		return v.String
	}
	return "null"
}

// bindError carries a session binding failure out of runStmt's helpers.
type bindError struct{ err error }

// queryRow runs a query and returns its first row as strings ("null" for
// NULL), or nil when there is none.
func (c *compiler) queryRow(ctx context.Context, q Querier, query string, args []any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	cols, _ := rows.Columns()
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make([]string, len(cols))
	for i, v := range vals {
		out[i] = nullJSON(v)
	}
	return out, rows.Err()
}
