package views

// Option is one choice of a select (or one header: name and shown value).
type Option struct {
	Value string
	Label string
}

// Example is a query the playground fills in with one click.
type Example struct {
	Name  string
	Label string
	Query string
	Hint  string
}

// PlaygroundProps is the GraphQL playground: editors, identity, examples,
// the chosen identity's root fields and the last run.
type PlaygroundProps struct {
	Query        string
	Variables    string
	As           string
	Identities   []Option
	Examples     []Example
	Hint         string
	SessionAdmin bool
	Queries      []string
	Mutations    []string
	Errors       Errors
	Result       *PlaygroundResult
}

// PlaygroundResult is one request exactly as sent and its answer.
type PlaygroundResult struct {
	// Request is the request line, headers and body as sent (token
	// shortened, admin secret hidden).
	Request string
	Status  int
	Answer  string
}

func hasAdmin(ids []Option) bool {
	for _, o := range ids {
		if o.Value == "admin" {
			return true
		}
	}
	return false
}
