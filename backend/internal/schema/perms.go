package schema

import "github.com/notes-app/notes/backend/internal/model"

func allColumns(t *model.Table) map[string]bool {
	m := map[string]bool{}
	for _, c := range t.Columns {
		m[c.Name] = true
	}
	return m
}

// SelectPerm returns the role's select permission on t, or nil. The admin
// role gets an unrestricted one.
func (s *Schema) SelectPerm(t *model.Table) *model.SelectPerm {
	if s.Admin {
		return &model.SelectPerm{Columns: allColumns(t), AllowAggregations: true}
	}
	return t.Select[s.Role]
}

// InsertPerm returns the role's visible insert permission on t, or nil.
func (s *Schema) InsertPerm(t *model.Table) *model.InsertPerm {
	if s.Admin {
		return &model.InsertPerm{Columns: allColumns(t)}
	}
	p := t.Insert[s.Role]
	if p == nil || (p.BackendOnly && !s.BackendOnly) {
		return nil
	}
	return p
}

// UpdatePerm returns the role's visible update permission on t, or nil.
func (s *Schema) UpdatePerm(t *model.Table) *model.UpdatePerm {
	if s.Admin {
		return &model.UpdatePerm{Columns: allColumns(t)}
	}
	p := t.Update[s.Role]
	if p == nil || (p.BackendOnly && !s.BackendOnly) {
		return nil
	}
	return p
}

// DeletePerm returns the role's visible delete permission on t, or nil.
func (s *Schema) DeletePerm(t *model.Table) *model.DeletePerm {
	if s.Admin {
		return &model.DeletePerm{}
	}
	p := t.Delete[s.Role]
	if p == nil || (p.BackendOnly && !s.BackendOnly) {
		return nil
	}
	return p
}

// SelectColumns returns the columns the role may select, in table order.
func (s *Schema) SelectColumns(t *model.Table) []*model.Column {
	p := s.SelectPerm(t)
	if p == nil {
		return nil
	}
	return filterCols(t.Columns, p.Columns, nil)
}

// InsertColumns returns the columns the role may insert (presets removed).
func (s *Schema) InsertColumns(t *model.Table) []*model.Column {
	p := s.InsertPerm(t)
	if p == nil {
		return nil
	}
	return filterCols(t.Columns, p.Columns, p.Set)
}

// UpdateColumns returns the columns the role may update (presets removed).
func (s *Schema) UpdateColumns(t *model.Table) []*model.Column {
	p := s.UpdatePerm(t)
	if p == nil {
		return nil
	}
	return filterCols(t.Columns, p.Columns, p.Set)
}

func filterCols(cols []*model.Column, allowed map[string]bool, preset map[string]any) []*model.Column {
	var out []*model.Column
	for _, c := range cols {
		if !allowed[c.Name] {
			continue
		}
		if _, ok := preset[c.Name]; ok {
			continue
		}
		out = append(out, c)
	}
	return out
}

// pkSelectable reports whether the table has a primary key whose columns
// the role may all select.
func (s *Schema) pkSelectable(t *model.Table) bool {
	p := s.SelectPerm(t)
	if p == nil || len(t.PrimaryKey) == 0 {
		return false
	}
	for _, c := range t.PrimaryKey {
		if !p.Columns[c.Name] {
			return false
		}
	}
	return true
}
