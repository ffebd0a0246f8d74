package views

// AdminLoginProps is the admin secret form.
type AdminLoginProps struct {
	Error string
}

// AdminUser is one row of the admin users page.
type AdminUser struct {
	ID          string
	Email       string
	Name        string
	Verified    bool
	Disabled    bool
	DefaultRole string
	Roles       []string
	Created     string
}

// AdminUsersProps is the admin users page: search, list, create form.
type AdminUsersProps struct {
	Query  string
	Users  []AdminUser
	Roles  []string
	Email  string
	Errors Errors
}

// AdminNote is one row of the admin notes browser.
type AdminNote struct {
	ID     string
	UserID string
	Email  string
	Title  string
	Public bool
}

// AdminNotesProps is the notes browser and the insert-for-user form.
type AdminNotesProps struct {
	UserID  string
	Title   string
	Content string
	Notes   []AdminNote
	Errors  Errors
}

// PermissionsProps is the permission matrix: a table per tracked table,
// a row per role, a cell per operation.
type PermissionsProps struct {
	Tables []PermTable
}

// PermTable is one tracked table or view.
type PermTable struct {
	Schema string
	Name   string
	Rows   []PermRow
}

// PermRow is one role's permissions on a table; nil cells are denied.
type PermRow struct {
	Role                           string
	Select, Insert, Update, Delete *PermCell
}

// PermCell is one permission: columns, row filter, check, presets.
type PermCell struct {
	Columns      string
	Filter       string
	Check        string
	Set          string
	Aggregations bool
	Comment      string
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// AdminConfirmDeleteProps is the question before a user is deleted.
type AdminConfirmDeleteProps struct {
	ID, Email, Query string
	// Back is where Cancel leads: the users page with its search.
	Back string
}
