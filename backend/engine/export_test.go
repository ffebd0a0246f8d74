package engine

import "database/sql"

// EngineDB exposes the engine's database to the external tests.
func EngineDB(e *Engine) *sql.DB { return e.opts.DB.DB }

// CachedPlans reports how many compiled plans the engine holds.
func CachedPlans(e *Engine) int { return e.plans.len() }
