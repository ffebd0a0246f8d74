package authserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/internal/testenv"
)

// BenchmarkRefresh measures POST /token (rotation plus a new access token)
// over real HTTP on SQLite.
func BenchmarkRefresh(b *testing.B) {
	e := benchEnv(b)
	tok := e.signUp("bench@example.com")["refreshToken"].(string)
	b.ResetTimer()
	for b.Loop() {
		r := e.refresh(tok)
		if r.status != http.StatusOK {
			b.Fatalf("refresh: %d %s", r.status, r.raw)
		}
		tok = r.json(e.t)["refreshToken"].(string)
	}
}

// BenchmarkSignIn measures POST /signin/email-password, which bcrypt
// (cost 10) dominates.
func BenchmarkSignIn(b *testing.B) {
	e := benchEnv(b)
	e.signUp("bench@example.com")
	body := map[string]any{"email": "bench@example.com", "password": testPassword}
	b.ResetTimer()
	for b.Loop() {
		if r := e.post("/signin/email-password", body); r.status != http.StatusOK {
			b.Fatalf("sign in: %d %s", r.status, r.raw)
		}
	}
}

// BenchmarkSignInVsBcrypt alternates a sign-in over HTTP with one bcrypt
// comparison at cost 10 (what the sign-in must spend anyway) and reports
// the p50 of each and the p50 of their difference in each pair, the
// sign-in's own cost (target: within 10 ms). Pairs run back to back, so a
// busy machine slows both alike.
func BenchmarkSignInVsBcrypt(b *testing.B) {
	forEachDialectB(b, func(b *testing.B, dbURL func(testing.TB) string) {
		e := mustEnv(b, dbURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
		e.signUp("bench@example.com")
		body := map[string]any{"email": "bench@example.com", "password": testPassword}
		hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcryptCost)
		if err != nil {
			b.Fatal(err)
		}
		var signIn, compare, over []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if r := e.post("/signin/email-password", body); r.status != http.StatusOK {
				b.Fatalf("sign in: %d %s", r.status, r.raw)
			}
			t1 := time.Now()
			if err := bcrypt.CompareHashAndPassword(hash, []byte(testPassword)); err != nil {
				b.Fatal(err)
			}
			s, c := t1.Sub(t0), time.Since(t1)
			signIn, compare, over = append(signIn, s), append(compare, c), append(over, s-c)
		}
		b.ReportMetric(benchMillis(benchP50(signIn)), "signin-p50-ms")
		b.ReportMetric(benchMillis(benchP50(compare)), "bcrypt-p50-ms")
		b.ReportMetric(benchMillis(benchP50(over)), "over-bcrypt-ms")
	})
}

// BenchmarkRefreshVsHand alternates POST /token (rotation in a
// transaction, user and roles lookup, last_seen, a new access token) with
// a hand-written handler doing the least a refresh needs: one indexed
// lookup of the refresh token joined to its user, the user's roles, and a
// JWT with the same claims signed with golang-jwt, both over HTTP on the
// same database. x-hand is the server's throughput relative to the
// hand-written one (target: at least 0.5).
func BenchmarkRefreshVsHand(b *testing.B) {
	forEachDialectB(b, func(b *testing.B, dbURL func(testing.TB) string) {
		e := mustEnv(b, dbURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
		tok := e.signUp("bench@example.com")["refreshToken"].(string)
		hand := httptest.NewServer(handRefresh(e))
		b.Cleanup(hand.Close)
		handTok := e.signUp("hand@example.com")["refreshToken"].(string)
		var server, handwritten time.Duration
		for b.Loop() {
			t0 := time.Now()
			r := e.refresh(tok)
			if r.status != http.StatusOK {
				b.Fatalf("refresh: %d %s", r.status, r.raw)
			}
			t1 := time.Now()
			h := e.post(hand.URL+"/token", map[string]any{"refreshToken": handTok})
			if h.status != http.StatusOK {
				b.Fatalf("hand-written refresh: %d %s", h.status, h.raw)
			}
			server, handwritten = server+t1.Sub(t0), handwritten+time.Since(t1)
			tok = r.json(e.t)["refreshToken"].(string)
		}
		b.ReportMetric(float64(server.Microseconds())/float64(b.N), "server-us")
		b.ReportMetric(float64(handwritten.Microseconds())/float64(b.N), "hand-us")
		b.ReportMetric(handwritten.Seconds()/server.Seconds(), "x-hand")
	})
}

// handRefresh is the hand-written baseline of POST /token.
func handRefresh(e *testEnv) http.Handler {
	d := e.srv.d
	key := []byte(benchJWTKey)
	lookup := d.q(`SELECT r.id, u.id, u.default_role, u.is_anonymous FROM {refresh_tokens} r JOIN {users} u ON u.id = r.user_id
		WHERE r.refresh_token_hash = $1 AND r.type = 'regular' AND r.expires_at > $2`)
	roles := d.q(`SELECT role FROM {user_roles} WHERE user_id = $1 ORDER BY role`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req tokenRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.RefreshToken == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ctx := r.Context()
		now := e.clock.Now()
		var id, userID, role string
		var anonymous bool
		err := d.db.QueryRowContext(ctx, lookup, hashRefreshToken(req.RefreshToken), d.ts(now)).Scan(&id, &userID, &role, &anonymous)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		rows, err := d.db.QueryContext(ctx, roles, userID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		allowed := []string{}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			allowed = append(allowed, r)
		}
		rows.Close()
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"sub": userID, "iss": defaultIssuer, "iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(),
			hasurajwt.DefaultNamespace: map[string]any{
				"x-hasura-user-id":           userID,
				"x-hasura-default-role":      role,
				"x-hasura-allowed-roles":     allowed,
				"x-hasura-user-is-anonymous": strconv.FormatBool(anonymous),
			},
		}).SignedString(key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"accessToken": tok, "accessTokenExpiresIn": 900, "refreshToken": req.RefreshToken, "refreshTokenId": id,
		})
	})
}

// benchJWTKey is the key of testJWTSecret.
const benchJWTKey = "0123456789abcdef0123456789abcdef-notes-test"

// forEachDialectB runs fn as a sub-benchmark per dialect.
func forEachDialectB(b *testing.B, fn func(b *testing.B, dbURL func(testing.TB) string)) {
	for _, d := range testenv.Dialects() {
		b.Run(d.Name, func(b *testing.B) { fn(b, d.URL) })
	}
}

func benchP50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func benchMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
