package auth

import "time"

// Session is the Nhost Session object: POST /token returns it bare, the
// sign-in endpoints wrap it as {"session": ...}.
type Session struct {
	AccessToken          string `json:"accessToken"`
	AccessTokenExpiresIn int64  `json:"accessTokenExpiresIn"`
	RefreshToken         string `json:"refreshToken"`
	RefreshTokenID       string `json:"refreshTokenId,omitempty"`
	User                 *User  `json:"user,omitempty"`
}

// User is the Nhost User object (GET /user, and inside a Session).
type User struct {
	ID                  string         `json:"id"`
	CreatedAt           time.Time      `json:"createdAt"`
	DisplayName         string         `json:"displayName"`
	AvatarURL           string         `json:"avatarUrl"`
	Locale              string         `json:"locale"`
	Email               string         `json:"email,omitempty"`
	EmailVerified       bool           `json:"emailVerified"`
	PhoneNumber         string         `json:"phoneNumber,omitempty"`
	PhoneNumberVerified bool           `json:"phoneNumberVerified"`
	DefaultRole         string         `json:"defaultRole"`
	Roles               []string       `json:"roles"`
	IsAnonymous         bool           `json:"isAnonymous"`
	Metadata            map[string]any `json:"metadata"`
}

// sessionPayload is {"session": Session} or {"mfa": {...}}; both keys are
// left out when no session is issued (sign-up awaiting verification).
type sessionPayload struct {
	Session *Session `json:"session"`
	MFA     *struct {
		Ticket string `json:"ticket"`
	} `json:"mfa"`
}

// SignUpOptions are the optional fields of sign-up and passwordless requests.
type SignUpOptions struct {
	DisplayName string `json:"displayName,omitempty"`
	RedirectTo  string `json:"redirectTo,omitempty"`
	Locale      string `json:"locale,omitempty"`
	// CodeChallenge asks for a PKCE hand-off after the verification link;
	// the client sends it as the request's top-level codeChallenge.
	CodeChallenge string `json:"-"`
}

// Message is one entry of the development outbox: an email or SMS the
// embedded auth service would have delivered.
// Kind is "email" or "sms"; Link is the one action link (verification,
// magic link, password reset), empty for SMS codes.
type Message struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Text      string    `json:"text"`
	HTML      string    `json:"html"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"createdAt"`
}
