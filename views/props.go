// Package views holds the templ components of the Notes app: the layout,
// pages and the fragments HTMX swaps. Components take one Props struct
// shaped like the screen; they never touch echo, graph, auth or net/http.
package views

import (
	"context"
	"strconv"
)

// LayoutProps is what every full page shows around its content.
type LayoutProps struct {
	Title    string
	User     *UserBadge
	Flash    Flash
	DevInbox bool
}

// UserBadge is the signed-in user as the header shows them.
type UserBadge struct {
	Name string
	Role string
	// Roles are the allowed roles the user may act as; with more than one
	// the header offers a switch that returns to Path.
	Roles []string
	Path  string
}

// Flash is a one-time message shown as a toast. Kind is "success",
// "error" or "info".
type Flash struct {
	Kind    string
	Message string
}

// Errors maps form field names to a problem with the value.
type Errors map[string]string

// Provider is one OAuth sign-in button.
type Provider struct {
	Name  string
	Label string
	URL   string
}

type csrfKey struct{}

// WithCSRF returns a context carrying the CSRF token every form embeds.
func WithCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey{}, token)
}

func csrfToken(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

func toastClass(kind string) string {
	switch kind {
	case "error":
		return "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
	case "success":
		return "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
	default:
		return "border-slate-300 bg-white text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
	}
}

// htmxConfig keeps htmx inside the CSP (no eval, no inline styles or
// scripts) and keeps notes out of localStorage (no history cache: going
// back reloads the page).
const htmxConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,` +
	`"historyCacheSize":0,"refreshOnHistoryMiss":true,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},` +
	`{"code":"[45]..","swap":true,"error":true}]}`

func itoa(i int) string { return strconv.Itoa(i) }
