package engine

import "database/sql"

// EngineDB exposes the engine's database to the external tests.
func EngineDB(e *Engine) *sql.DB { return e.opts.DB.DB }
