package authserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/markbates/goth"
	"golang.org/x/oauth2"
)

// LinkedIn's "Sign In with LinkedIn using OpenID Connect" endpoints, the
// only sign-in product LinkedIn offers new apps (goth's linkedin provider
// still calls the retired r_liteprofile API).
const (
	linkedinAuthURL     = "https://www.linkedin.com/oauth/v2/authorization"
	linkedinTokenURL    = "https://www.linkedin.com/oauth/v2/accessToken"
	linkedinUserInfoURL = "https://api.linkedin.com/v2/userinfo"
)

// linkedinProvider is a goth.Provider for LinkedIn's OpenID Connect
// sign-in: code flow, then the userinfo endpoint.
type linkedinProvider struct {
	name   string
	config *oauth2.Config
	client *http.Client
}

func newLinkedIn(clientID, secret, callbackURL string, client *http.Client, scopes ...string) *linkedinProvider {
	return &linkedinProvider{name: "linkedin", client: client, config: &oauth2.Config{
		ClientID: clientID, ClientSecret: secret, RedirectURL: callbackURL, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: linkedinAuthURL, TokenURL: linkedinTokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}}
}

// Name implements goth.Provider.
func (p *linkedinProvider) Name() string { return p.name }

// SetName implements goth.Provider.
func (p *linkedinProvider) SetName(name string) { p.name = name }

// Debug implements goth.Provider.
func (p *linkedinProvider) Debug(bool) {}

// BeginAuth implements goth.Provider.
func (p *linkedinProvider) BeginAuth(state string) (goth.Session, error) {
	return &linkedinSession{AuthURL: p.config.AuthCodeURL(state)}, nil
}

// UnmarshalSession implements goth.Provider.
func (p *linkedinProvider) UnmarshalSession(data string) (goth.Session, error) {
	s := &linkedinSession{}
	err := json.Unmarshal([]byte(data), s)
	return s, err
}

// FetchUser implements goth.Provider: the OIDC userinfo claims.
func (p *linkedinProvider) FetchUser(session goth.Session) (goth.User, error) {
	s, ok := session.(*linkedinSession)
	if !ok || s.AccessToken == "" {
		return goth.User{}, errors.New("linkedin: no access token")
	}
	req, err := http.NewRequest(http.MethodGet, linkedinUserInfoURL, nil)
	if err != nil {
		return goth.User{}, err
	}
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	resp, err := p.client.Do(req)
	if err != nil {
		return goth.User{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return goth.User{}, fmt.Errorf("linkedin userinfo: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return goth.User{}, err
	}
	var info struct {
		Sub        string `json:"sub"`
		Name       string `json:"name"`
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
		Picture    string `json:"picture"`
		Email      string `json:"email"`
	}
	if err := json.Unmarshal(body, &info); err != nil {
		return goth.User{}, err
	}
	u := goth.User{
		Provider: p.name, UserID: info.Sub, Name: info.Name, FirstName: info.GivenName,
		LastName: info.FamilyName, NickName: info.GivenName, Email: info.Email, AvatarURL: info.Picture,
		AccessToken: s.AccessToken, RefreshToken: s.RefreshToken, ExpiresAt: s.ExpiresAt,
	}
	_ = json.Unmarshal(body, &u.RawData)
	return u, nil
}

// RefreshToken implements goth.Provider.
func (p *linkedinProvider) RefreshToken(refreshToken string) (*oauth2.Token, error) {
	return p.config.TokenSource(goth.ContextForClient(p.client), &oauth2.Token{RefreshToken: refreshToken}).Token()
}

// RefreshTokenAvailable implements goth.Provider.
func (p *linkedinProvider) RefreshTokenAvailable() bool { return true }

// linkedinSession is the goth.Session of linkedinProvider.
type linkedinSession struct {
	AuthURL      string
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
}

// GetAuthURL implements goth.Session.
func (s *linkedinSession) GetAuthURL() (string, error) { return s.AuthURL, nil }

// Marshal implements goth.Session.
func (s *linkedinSession) Marshal() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Authorize implements goth.Session: the code exchange.
func (s *linkedinSession) Authorize(provider goth.Provider, params goth.Params) (string, error) {
	p, ok := provider.(*linkedinProvider)
	if !ok {
		return "", errors.New("linkedin: wrong provider")
	}
	tok, err := p.config.Exchange(goth.ContextForClient(p.client), params.Get("code"))
	if err != nil {
		return "", err
	}
	if !tok.Valid() {
		return "", errors.New("linkedin: invalid token")
	}
	s.AccessToken, s.RefreshToken, s.ExpiresAt = tok.AccessToken, tok.RefreshToken, tok.Expiry
	return tok.AccessToken, nil
}
