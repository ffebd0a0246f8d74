// Package nhost embeds this Nhost project folder (migrations, SQLite twins
// and Hasura metadata) so the binary can serve it when no folder is on disk.
// The folder itself deploys to a real Nhost project unchanged; this file is
// ignored there.
package nhost

import "embed"

// FS holds metadata/, migrations/ and sqlite/ as they are in the repository.
//
//go:embed all:metadata migrations sqlite config.yaml nhost.toml
var FS embed.FS
