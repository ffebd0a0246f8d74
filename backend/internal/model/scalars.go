package model

var scalarNames = map[string]string{
	"int4": "Int", "serial": "Int", "integer": "Int",
	"text": "String", "varchar": "String",
	"bool":        "Boolean",
	"float4":      "Float",
	"float8":      "float8",
	"int2":        "smallint",
	"int8":        "bigint",
	"numeric":     "numeric",
	"money":       "money",
	"bpchar":      "bpchar",
	"citext":      "citext",
	"uuid":        "uuid",
	"date":        "date",
	"timestamp":   "timestamp",
	"timestamptz": "timestamptz",
	"time":        "time",
	"timetz":      "timetz",
	"interval":    "interval",
	"json":        "json",
	"jsonb":       "jsonb",
	"geometry":    "geometry",
	"geography":   "geography",
}

// ScalarName maps a Postgres type name onto its GraphQL scalar name.
func ScalarName(pgType string) string {
	if s, ok := scalarNames[pgType]; ok {
		return s
	}
	return pgType
}

// BuiltinScalar reports whether name is a GraphQL built-in scalar.
func BuiltinScalar(name string) bool {
	switch name {
	case "Int", "Float", "String", "Boolean", "ID":
		return true
	}
	return false
}
