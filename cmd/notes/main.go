// Command notes runs the Notes app: a server-rendered notes web app that
// speaks the Nhost auth API and Hasura GraphQL, with an embedded backend
// (auth server + GraphQL engine over SQLite or Postgres) in standalone mode.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "notes:", err)
		os.Exit(1)
	}
}

// run is the whole program: tests call it with their own arguments,
// environment and output, and cancel ctx to stop it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, getenv, stdout, stderr, false)
	case "backend":
		return serve(ctx, getenv, stdout, stderr, true)
	case "migrate":
		return migrate(ctx, getenv, stdout)
	case "version", "--version":
		fmt.Fprintln(stdout, "notes", version)
		return nil
	case "help", "-h", "--help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", cmd)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Notes: a notes app on the Nhost auth API and Hasura GraphQL.

Usage:
  notes [command]

Commands:
  serve     run the app (default); standalone mode also serves the embedded
            backend: auth at /v1/auth, GraphQL at /v1/graphql
  backend   run only the embedded backend (auth + GraphQL), for other apps
  migrate   apply the auth schema and the Nhost project's migrations, then exit
  version   print the version
  help      print this help

Settings (environment variables):
`)
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-33s %s (default: %s)\n", s.name, s.help, def)
	}
	fmt.Fprint(w, `
The embedded auth server reads Nhost's own AUTH_* variables (AUTH_CLIENT_URL,
AUTH_ACCESS_TOKEN_EXPIRES_IN, AUTH_PROVIDER_GITHUB_CLIENT_ID, AUTH_SMTP_HOST, ...);
see the README for the full list.
`)
}
