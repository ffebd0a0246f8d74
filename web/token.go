package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/views"
)

// claimMeanings explains the claims the token page shows.
var claimMeanings = map[string]string{
	"alg":                        "How the token is signed.",
	"typ":                        "The kind of token.",
	"kid":                        "Which key signed it.",
	"sub":                        "Your user id (auth.users.id).",
	"iss":                        "Who issued the token: the auth service.",
	"iat":                        "When it was issued (Unix seconds).",
	"exp":                        "When it expires (Unix seconds).",
	"x-hasura-user-id":           "Session variable the permissions compare user_id with.",
	"x-hasura-default-role":      "The role Hasura uses when a request names none.",
	"x-hasura-allowed-roles":     "The roles you may ask for with the x-hasura-role header.",
	"x-hasura-user-is-anonymous": "Whether this is an anonymous user.",
}

func claimRows(m map[string]any, skip ...string) []views.ClaimRow {
	rows := make([]views.ClaimRow, 0, len(m))
	for k, v := range m {
		if slices.Contains(skip, k) {
			continue
		}
		b, _ := json.Marshal(v)
		rows = append(rows, views.ClaimRow{Name: k, Value: string(b), Meaning: claimMeanings[k]})
	}
	slices.SortFunc(rows, func(a, b views.ClaimRow) int { return cmp.Compare(a.Name, b.Name) })
	return rows
}

// handleToken answers GET /token: the current access token, decoded.
func (a *app) handleToken(c echo.Context) error {
	s := a.session(c)
	cl, err := auth.ParseClaims(s.AccessToken)
	if err != nil {
		return err
	}
	exp := cl.Expiry()
	a.tutorialFact(c, factDecoded)
	return a.render(c, http.StatusOK, "Access token", views.TokenPage(views.TokenProps{
		Header:    claimRows(cl.Header),
		Claims:    claimRows(cl.Raw, auth.HasuraClaimsKey),
		Hasura:    claimRows(cl.Hasura),
		ExpiresAt: exp.UTC().Format(time.RFC3339),
		ExpiresIn: max(0, int(exp.Sub(a.now()).Seconds())),
		Raw:       s.AccessToken,
	}), nil)
}

// handleTokenRefresh answers POST /token/refresh: a new access token now.
func (a *app) handleTokenRefresh(c echo.Context) error {
	s := a.session(c)
	sess, err := a.auth.RefreshToken(c.Request().Context(), s.RefreshToken)
	if err != nil {
		return err // a dead refresh token: the error handler signs out with a message
	}
	s.Refreshed(sess, a.now())
	s.SetFlash("success", "New access token issued.")
	s.dirty = true
	return redirect(c, "/token")
}
