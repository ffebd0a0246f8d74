package authserver

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
)

// nhostProviders is the contract's provider enum: names a path may carry.
var nhostProviders = []string{"github", "facebook", "twitter", "google", "apple", "linkedin",
	"windowslive", "spotify", "strava", "gitlab", "bitbucket", "discord", "twitch", "workos",
	"azuread", "entraid"}

// handleSignInProvider serves GET /signin/provider/{provider}: it checks
// redirectTo and the sign-up options, then sends the browser to the
// provider with a signed 60-second state.
func (s *Server) handleSignInProvider(w http.ResponseWriter, r *http.Request) error {
	return s.startProvider(w, r, flowSignIn)
}

// handleSignUpProvider serves GET /signup/provider/{provider}, the
// explicit sign-up: an existing user is refused with user-already-exists.
func (s *Server) handleSignUpProvider(w http.ResponseWriter, r *http.Request) error {
	return s.startProvider(w, r, flowSignUp)
}

// The two OAuth flows.
const (
	flowSignIn = "signin"
	flowSignUp = "signup"
)

func (s *Server) startProvider(w http.ResponseWriter, r *http.Request, flow string) error {
	name := r.PathValue("provider")
	if !contains(nhostProviders, name) {
		return fail(errInvalidRequest)
	}
	q := r.URL.Query()
	opts := &signUpOptions{
		DefaultRole: q.Get("defaultRole"),
		DisplayName: q.Get("displayName"),
		Locale:      q.Get("locale"),
		RedirectTo:  q.Get("redirectTo"),
	}
	for _, v := range q["allowedRoles"] {
		for _, role := range strings.Split(v, ",") {
			if role = strings.TrimSpace(role); role != "" {
				opts.AllowedRoles = append(opts.AllowedRoles, role)
			}
		}
	}
	if m := q.Get("metadata"); m != "" {
		opts.Metadata = json.RawMessage(m)
	}
	prof, err := s.resolve(opts, "")
	if err != nil {
		return err
	}
	p, ok := s.providers[name]
	if !ok {
		s.redirectError(w, r, prof.RedirectTo, errDisabledEndpoint)
		return nil
	}
	st := oauthState{
		Provider: name, RedirectTo: prof.RedirectTo, Roles: prof.Roles, DefaultRole: prof.DefaultRole,
		DisplayName: strings.TrimSpace(opts.DisplayName), Locale: prof.Locale, Metadata: prof.Metadata,
		AppState: q.Get("state"), Nonce: nonce(), Flow: flow,
	}
	if st.CodeChallenge, err = codeChallengeParam(q.Get("codeChallenge")); err != nil {
		return err
	}
	if connect := q.Get("connect"); connect != "" && flow == flowSignIn {
		uid, err := s.verifyAccessToken(connect)
		if err != nil {
			s.redirectError(w, r, prof.RedirectTo, errInvalidRequest)
			return nil
		}
		st.Connect = uid
	}
	state, err := s.signState(st)
	if err != nil {
		return internal(err)
	}
	sess, err := p.goth(s.callbackURL(r, name)).BeginAuth(state)
	if err != nil {
		return internal(err)
	}
	target, err := sess.GetAuthURL()
	if err != nil {
		return internal(err)
	}
	http.Redirect(w, r, p.authURL(target), http.StatusFound)
	return nil
}

// callbackURL is the redirect_uri registered with the provider.
func (s *Server) callbackURL(r *http.Request, provider string) string {
	return s.baseURL(r) + "/signin/provider/" + provider + "/callback"
}

func nonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
