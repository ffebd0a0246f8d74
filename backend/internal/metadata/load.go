package metadata

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads the metadata directory rooted at fsys (the folder holding
// version.yaml and databases/). Errors name the file and the key.
func Load(fsys fs.FS) (*Metadata, error) {
	md := &Metadata{}
	if b, err := fs.ReadFile(fsys, "version.yaml"); err == nil {
		var v struct {
			Version int `yaml:"version"`
		}
		if err := yaml.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("version.yaml: %w", err)
		}
		if v.Version != 3 {
			return nil, fmt.Errorf("version.yaml: version: %d is not supported, expected 3", v.Version)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("version.yaml: %w", err)
	}
	if err := loadIntrospection(fsys, md); err != nil {
		return nil, err
	}
	const dbFile = "databases/databases.yaml"
	root, err := readNode(fsys, dbFile)
	if errors.Is(err, fs.ErrNotExist) {
		return md, nil
	}
	if err != nil {
		return nil, err
	}
	if root.Kind == 0 || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		return md, nil
	}
	if root.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: expected a list of sources", dbFile)
	}
	for i, srcNode := range root.Content {
		var src struct {
			Name   string    `yaml:"name"`
			Kind   string    `yaml:"kind"`
			Tables yaml.Node `yaml:"tables"`
		}
		if err := srcNode.Decode(&src); err != nil {
			return nil, fmt.Errorf("%s: [%d]: %w", dbFile, i, err)
		}
		s := &Source{Name: src.Name, Kind: src.Kind}
		tables, err := loadTables(fsys, dbFile, &src.Tables)
		if err != nil {
			return nil, err
		}
		s.Tables = tables
		md.Sources = append(md.Sources, s)
	}
	return md, nil
}

func loadIntrospection(fsys fs.FS, md *Metadata) error {
	const file = "graphql_schema_introspection.yaml"
	b, err := fs.ReadFile(fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var v struct {
		Disabled []string `yaml:"disabled_for_roles"`
	}
	if err := yaml.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	md.IntrospectionDisabledFor = v.Disabled
	return nil
}

// loadTables resolves the tables key of a source: a list (possibly an
// !include of a file holding the list) whose items are table mappings or
// !include strings of table files.
func loadTables(fsys fs.FS, file string, n *yaml.Node) ([]*Table, error) {
	if target, ok := includeTarget(n); ok {
		p := path.Join(path.Dir(file), target)
		inc, err := readNode(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("%s: tables: %w", file, err)
		}
		return loadTables(fsys, p, inc)
	}
	if n.Kind == 0 || n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s: tables: expected a list", file)
	}
	var out []*Table
	for i, item := range n.Content {
		itemFile := file
		if target, ok := includeTarget(item); ok {
			itemFile = path.Join(path.Dir(file), target)
			inc, err := readNode(fsys, itemFile)
			if err != nil {
				return nil, fmt.Errorf("%s: [%d]: %w", file, i, err)
			}
			item = inc
		}
		if err := resolveIncludes(fsys, itemFile, item); err != nil {
			return nil, err
		}
		t := &Table{}
		if err := item.Decode(t); err != nil {
			return nil, fmt.Errorf("%s: %w", itemFile, err)
		}
		if t.Table.Name == "" {
			return nil, fmt.Errorf("%s: table: name missing", itemFile)
		}
		t.File = itemFile
		out = append(out, t)
	}
	return out, nil
}

// resolveIncludes replaces every "!include x" scalar below n with the
// content of x, relative to file's directory.
func resolveIncludes(fsys fs.FS, file string, n *yaml.Node) error {
	for i, c := range n.Content {
		if target, ok := includeTarget(c); ok {
			p := path.Join(path.Dir(file), target)
			inc, err := readNode(fsys, p)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			if err := resolveIncludes(fsys, p, inc); err != nil {
				return err
			}
			n.Content[i] = inc
			continue
		}
		if err := resolveIncludes(fsys, file, c); err != nil {
			return err
		}
	}
	return nil
}

func includeTarget(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	if n.Tag == "!include" {
		return strings.TrimSpace(n.Value), true
	}
	if rest, ok := strings.CutPrefix(n.Value, "!include "); ok {
		return strings.TrimSpace(rest), true
	}
	return "", false
}

// readNode parses a YAML file and returns its document's root node.
func readNode(fsys fs.FS, p string) (*yaml.Node, error) {
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}
