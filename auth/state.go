package auth

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// CookieName is the name of the session cookie.
const CookieName = "notes_session"

// RefreshMargin is how close to expiry an access token is refreshed, as
// nhost-js does (refreshSession(60)).
const RefreshMargin = 60 * time.Second

// State is what the session cookie holds: the tokens and a small copy of the
// user for the header, the active role, the CSRF token, one flash message,
// the phone number of a pending SMS sign-in and the pending PKCE hand-offs.
// Keep it small: it travels on every request.
type State struct {
	AccessToken  string    `json:"at,omitempty"`
	ExpiresAt    time.Time `json:"exp,omitzero"`
	RefreshToken string    `json:"rt,omitempty"`
	UserID       string    `json:"uid,omitempty"`
	Email        string    `json:"em,omitempty"`
	DisplayName  string    `json:"dn,omitempty"`
	Role         string    `json:"role,omitempty"`
	Roles        []string  `json:"roles,omitempty"`
	CSRF         string    `json:"csrf,omitempty"`
	Flash        string    `json:"fl,omitempty"`
	FlashKind    string    `json:"fk,omitempty"`
	Phone        string    `json:"ph,omitempty"`
	// Flows are the pending PKCE hand-offs of this browser (pkce.go).
	Flows []Flow `json:"pk,omitempty"`
	// AdminSecret is the admin secret the admin console verified; the
	// cookie is encrypted, and signing in or out forgets it.
	AdminSecret string `json:"as,omitempty"`
	// AdminUntil (Unix seconds) ends the admin unlock: it lasts while the
	// console is in use, not as long as the session cookie.
	AdminUntil int64 `json:"au,omitempty"`
	// Tutorial holds the tutorial facts the app cannot ask the backend
	// about (an anonymous query was refused, the token was decoded).
	Tutorial []string `json:"tu,omitempty"`
}

// SignedIn reports whether the state holds a session.
func (s *State) SignedIn() bool { return s.RefreshToken != "" && s.AccessToken != "" }

// NeedsRefresh reports whether the access token expires within RefreshMargin.
func (s *State) NeedsRefresh(now time.Time) bool {
	return s.SignedIn() && s.ExpiresAt.Sub(now) < RefreshMargin
}

// SignIn replaces the whole state with a fresh one for sess: nothing from
// before the sign-in survives but the tutorial facts, and the CSRF token is new.
func (s *State) SignIn(sess Session, now time.Time) {
	*s = State{CSRF: NewToken(), Tutorial: s.Tutorial}
	s.apply(sess, now)
}

// Refreshed stores a refreshed session, keeping the active role when the
// new token still allows it.
func (s *State) Refreshed(sess Session, now time.Time) {
	role := s.Role
	s.apply(sess, now)
	if role != "" && slices.Contains(s.Roles, role) {
		s.Role = role
	}
}

func (s *State) apply(sess Session, now time.Time) {
	s.AccessToken = sess.AccessToken
	s.RefreshToken = sess.RefreshToken
	s.ExpiresAt = sess.expiresAt(now)
	if c, err := ParseClaims(sess.AccessToken); err == nil {
		s.UserID = c.Subject
		s.Role = c.DefaultRole()
		s.Roles = c.AllowedRoles()
	}
	if u := sess.User; u != nil {
		s.UserID = u.ID
		s.Email = u.Email
		s.DisplayName = u.DisplayName
		if s.Role == "" {
			s.Role = u.DefaultRole
		}
		if len(s.Roles) == 0 {
			s.Roles = u.Roles
		}
	}
	if s.DisplayName == "" {
		s.DisplayName = s.Email
	}
}

// SignOut forgets the session and rotates the CSRF token. The flash and
// the tutorial facts stay.
func (s *State) SignOut() {
	*s = State{CSRF: NewToken(), Flash: s.Flash, FlashKind: s.FlashKind, Tutorial: s.Tutorial}
}

// SetFlash sets the one message shown on the next page.
func (s *State) SetFlash(kind, msg string) { s.Flash, s.FlashKind = msg, kind }

// TakeFlash returns the flash message and clears it.
func (s *State) TakeFlash() (kind, msg string) {
	kind, msg = s.FlashKind, s.Flash
	s.Flash, s.FlashKind = "", ""
	return kind, msg
}

// NewToken returns 32 random bytes, base64url encoded.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Store reads and writes State in an encrypted, signed cookie.
type Store struct {
	cs *sessions.CookieStore
}

// NewStore returns a Store. hashKey (32 or 64 bytes) signs the cookie and
// blockKey (16, 24 or 32 bytes) encrypts it. The cookie is HttpOnly,
// SameSite=Lax (Strict would drop it on the OAuth return) and Secure when
// secure is true (the public URL is https).
func NewStore(hashKey, blockKey []byte, secure bool) (*Store, error) {
	if len(hashKey) < 32 {
		return nil, fmt.Errorf("session hash key: need at least 32 bytes, got %d", len(hashKey))
	}
	switch len(blockKey) {
	case 16, 24, 32:
	default:
		return nil, fmt.Errorf("session block key: need 16, 24 or 32 bytes, got %d", len(blockKey))
	}
	cs := sessions.NewCookieStore(hashKey, blockKey)
	for _, c := range cs.Codecs {
		if sc, ok := c.(*securecookie.SecureCookie); ok {
			sc.SetSerializer(stateSerializer{})
		}
	}
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   30 * 24 * 3600,
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge)
	return &Store{cs: cs}, nil
}

// Load returns the state in r's cookie. A missing, tampered or undecodable
// cookie yields an empty state: the visitor is simply signed out.
func (st *Store) Load(r *http.Request) State {
	sess, err := st.cs.Get(r, CookieName)
	if err != nil {
		return State{}
	}
	raw, ok := sess.Values[stateKey].([]byte)
	if !ok {
		return State{}
	}
	var s State
	if json.Unmarshal(raw, &s) != nil {
		return State{}
	}
	return s
}

// Save writes s as the cookie on w.
func (st *Store) Save(w http.ResponseWriter, r *http.Request, s State) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	sess := sessions.NewSession(st.cs, CookieName)
	opts := *st.cs.Options
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[stateKey] = raw
	if err := st.cs.Save(r, w, sess); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}
