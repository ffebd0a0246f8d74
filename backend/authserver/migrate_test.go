package authserver

import (
	"context"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend/store"
)

// nhostColumns are the columns of Nhost's auth tables (contract §8).
var nhostColumns = map[string]string{
	"users": "id created_at updated_at last_seen disabled display_name avatar_url locale email phone_number password_hash " +
		"email_verified phone_number_verified new_email otp_method_last_used otp_hash otp_hash_expires_at default_role " +
		"is_anonymous totp_secret active_mfa_type ticket ticket_expires_at metadata webauthn_current_challenge otp_attempts new_phone_number",
	"refresh_tokens":      "id created_at expires_at user_id metadata type refresh_token_hash",
	"refresh_token_types": "value comment",
	"roles":               "role",
	"user_roles":          "id created_at user_id role",
	"providers":           "id",
	"user_providers":      "id created_at updated_at user_id access_token refresh_token provider_id provider_user_id",
	"provider_requests":   "id options",
	"user_security_keys":  "id user_id credential_id credential_public_key counter transports nickname",
}

func TestMigrateSchema(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		ctx := context.Background()
		db, err := store.Open(ctx, dbURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		for range 2 {
			if err := Migrate(ctx, db); err != nil {
				t.Fatalf("migrate (twice): %v", err)
			}
		}
		for table, want := range nhostColumns {
			got := columns(t, db, table)
			if strings.Join(got, " ") != want {
				t.Errorf("%s columns:\n got  %s\n want %s", table, strings.Join(got, " "), want)
			}
		}
		var roles int
		if err := db.QueryRow("SELECT count(*) FROM " + db.Table("auth", "roles") + " WHERE role IN ('user','me','anonymous')").Scan(&roles); err != nil || roles != 3 {
			t.Errorf("seeded roles: %d (%v)", roles, err)
		}
		var providers int
		if err := db.QueryRow("SELECT count(*) FROM " + db.Table("auth", "providers")).Scan(&providers); err != nil || providers != 16 {
			t.Errorf("seeded providers: %d (%v)", providers, err)
		}
		if db.Dialect == store.Postgres {
			var typ string
			if err := db.QueryRow(`SELECT domain_schema || '.' || domain_name FROM information_schema.columns
				WHERE table_schema = 'auth' AND table_name = 'users' AND column_name = 'email'`).Scan(&typ); err != nil || typ != "auth.email" {
				t.Errorf("auth.users.email domain: %q (%v)", typ, err)
			}
		}
	})
}

func columns(t *testing.T, db *store.DB, table string) []string {
	t.Helper()
	q := `SELECT column_name FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = $1 ORDER BY ordinal_position`
	arg := table
	if db.Dialect == store.SQLite {
		q = `SELECT name FROM pragma_table_info(?1) ORDER BY cid`
		arg = "auth_" + table
	}
	rows, err := db.Query(q, arg)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// TestSQLiteDeclaredTypes keeps the SQLite declarations on the Postgres
// types of Nhost's columns, which the engine turns into GraphQL scalars.
func TestSQLiteDeclaredTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, sqliteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"id": "uuid", "created_at": "timestamptz", "last_seen": "timestamptz", "disabled": "boolean",
		"display_name": "text", "locale": "varchar(3)", "email": "citext", "new_email": "citext",
		"metadata": "jsonb", "otp_attempts": "smallint", "default_role": "text",
	}
	rows, err := db.Query(`SELECT name, type FROM pragma_table_info('auth_users')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		if w, ok := want[name]; ok && !strings.EqualFold(typ, w) {
			t.Errorf("auth_users.%s declared %q, want %q", name, typ, w)
		}
	}
}

// TestMigrateOverOlderNhostSchema applies the migrations to a database that
// already holds an older hasura-auth users table (no otp_attempts,
// new_phone_number, locale varchar(2)).
func TestMigrateOverOlderNhostSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, testenvPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old := `CREATE EXTENSION IF NOT EXISTS citext; CREATE SCHEMA auth;
		CREATE TABLE auth.roles (role text PRIMARY KEY);
		INSERT INTO auth.roles VALUES ('user'), ('me');
		CREATE TABLE auth.users (id uuid PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(),
		  updated_at timestamptz NOT NULL DEFAULT now(), last_seen timestamptz, disabled boolean NOT NULL DEFAULT false,
		  display_name text NOT NULL DEFAULT '', avatar_url text NOT NULL DEFAULT '', locale varchar(2) NOT NULL,
		  email citext UNIQUE, phone_number text UNIQUE, password_hash text, email_verified boolean NOT NULL DEFAULT false,
		  phone_number_verified boolean NOT NULL DEFAULT false, new_email citext, otp_method_last_used text, otp_hash text,
		  otp_hash_expires_at timestamptz NOT NULL DEFAULT now(), default_role text NOT NULL DEFAULT 'user' REFERENCES auth.roles(role),
		  is_anonymous boolean NOT NULL DEFAULT false, totp_secret text, active_mfa_type text, ticket text,
		  ticket_expires_at timestamptz NOT NULL DEFAULT now(), metadata jsonb, webauthn_current_challenge text);
		INSERT INTO auth.users (id, locale, email) VALUES ('11111111-1111-4111-8111-111111111111', 'en', 'old@example.com');`
	if _, err := db.Exec(old); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, db); err != nil {
		t.Fatalf("migrate over an older schema: %v", err)
	}
	if got := strings.Join(columns(t, db, "users"), " "); got != nhostColumns["users"] {
		t.Fatalf("users columns: %s", got)
	}
}
