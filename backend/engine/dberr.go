package engine

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/notes-app/notes/backend/internal/gqlerr"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mapDBError turns constraint and data errors of either database into
// Hasura's codes and messages (reference §5); nil for anything else.
func mapDBError(err error, path string) *gqlerr.Error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return mapPgError(pe, path)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return mapSQLiteError(se, path)
	}
	return nil
}

func mapPgError(pe *pgconn.PgError, path string) *gqlerr.Error {
	msg := pe.Message
	cv := func(prefix string) *gqlerr.Error {
		return gqlerr.New(gqlerr.ConstraintViolation, path, "%s%s", prefix, msg)
	}
	switch pe.Code {
	case "23502":
		return cv("Not-NULL violation. ")
	case "23505":
		return cv("Uniqueness violation. ")
	case "23503":
		return cv("Foreign key violation. ")
	case "23001":
		return cv("Can not delete or update due to data being referred. ")
	case "23P01":
		return cv("Exclusion violation. ")
	case "23514":
		return gqlerr.New(gqlerr.PermissionError, path, "Check constraint violation. %s", msg)
	case "22025":
		return gqlerr.New(gqlerr.BadRequest, path, "%s", msg)
	case "42P10":
		return gqlerr.New(gqlerr.ConstraintError, path, "there is no unique or exclusion constraint on target column(s)")
	}
	if strings.HasPrefix(pe.Code, "22") {
		return gqlerr.New(gqlerr.DataException, path, "%s", msg)
	}
	return nil
}

var sqliteConstraintRe = regexp.MustCompile(`.*constraint failed: (.*?)(?: \(\d+\))?$`)

// mapSQLiteError words SQLite's constraint errors as Postgres would, so
// both dialects answer alike.
func mapSQLiteError(se *sqlite.Error, path string) *gqlerr.Error {
	detail := ""
	if m := sqliteConstraintRe.FindStringSubmatch(se.Error()); m != nil {
		detail = m[1]
	}
	cols := strings.Split(detail, ", ")
	table, firstCol := "", ""
	if len(cols) > 0 {
		table, firstCol, _ = strings.Cut(cols[0], ".")
	}
	var names []string
	for _, c := range cols {
		_, n, _ := strings.Cut(c, ".")
		names = append(names, n)
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return gqlerr.New(gqlerr.ConstraintViolation, path, "Not-NULL violation. null value in column %q of relation %q violates not-null constraint", firstCol, table)
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return gqlerr.New(gqlerr.ConstraintViolation, path, "Uniqueness violation. duplicate key value violates unique constraint %q", table+"_"+strings.Join(names, "_")+"_key")
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return gqlerr.New(gqlerr.ConstraintViolation, path, "Uniqueness violation. duplicate key value violates unique constraint %q", table+"_pkey")
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return gqlerr.New(gqlerr.ConstraintViolation, path, "Foreign key violation. insert or update violates a foreign key constraint")
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return gqlerr.New(gqlerr.PermissionError, path, "Check constraint violation. new row violates check constraint %q", detail)
	case sqlite3.SQLITE_MISMATCH:
		return gqlerr.New(gqlerr.DataException, path, "%s", fmt.Sprint(se.Error()))
	}
	return nil
}
