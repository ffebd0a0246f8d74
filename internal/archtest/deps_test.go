// Package archtest keeps the dependency direction of DESIGN.md true: it
// lists every package's imports with `go list` and fails on a forbidden edge.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/notes-app/notes"

// allowed maps a package (by its path inside the module, a trailing "/..."
// covering sub-packages) to the packages of ours it may import.
var allowed = map[string][]string{
	"cmd/notes":              {"..."},
	"web":                    {"views", "auth", "graph", "static"},
	"views":                  {"static"},
	"static":                 {},
	"auth":                   {},
	"graph":                  {},
	"nhost":                  {},
	"backend":                {"backend/..."},
	"backend/store":          {},
	"backend/hasurajwt":      {},
	"backend/engine/...":     {"backend/store", "backend/hasurajwt", "backend/engine/...", "backend/internal/..."},
	"backend/authserver/...": {"backend/store", "backend/hasurajwt", "backend/authserver/..."},
	"backend/internal/...":   {"backend/store", "backend/hasurajwt", "backend/internal/..."},
	"internal/testenv":       {},
	"internal/archtest":      {},
	"internal/pgtemp":        {"internal/testenv"},
	"internal/loadgen":       {},
	"cmd/loadgen":            {"internal/loadgen"},
}

// forbidden are edges no rule above may open: the engine and the auth
// server share only store and the JWT contract.
var forbidden = [][2]string{
	{"backend/engine", "backend/authserver"},
	{"backend/authserver", "backend/engine"},
	{"backend/internal", "backend/authserver"},
}

func match(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pattern == "..." || pattern == pkg
}

func rulesFor(pkg string) ([]string, bool) {
	best, found := "", false
	for p := range allowed {
		if match(p, pkg) && len(p) > len(best) {
			best, found = p, true
		}
	}
	return allowed[best], found
}

func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		rules, ok := rulesFor(pkg)
		if !ok {
			t.Errorf("package %s has no dependency rule: add it to archtest.allowed", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			dep := strings.TrimPrefix(imp, module+"/")
			ok := false
			for _, r := range rules {
				if match(r, dep) {
					ok = true
				}
			}
			for _, f := range forbidden {
				if match(f[0]+"/...", pkg) && match(f[1]+"/...", dep) {
					ok = false
				}
			}
			if !ok {
				t.Errorf("%s imports %s: not allowed (DESIGN.md, dependency direction)", pkg, dep)
			}
		}
	}
}
