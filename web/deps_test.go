package web_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirection keeps STYLE.md's import rules for the app's
// packages: web -> views, auth, graph, static; views -> static; auth,
// graph and static import nothing of ours; none of them imports backend or cmd.
func TestDependencyDirection(t *testing.T) {
	t.Parallel()
	const mod = "github.com/notes-app/notes/"
	allowed := map[string][]string{
		"auth":   nil,
		"graph":  nil,
		"static": nil,
		"views":  {"static"},
		"web":    {"views", "auth", "graph", "static"},
	}
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			name, ours := strings.CutPrefix(dep, mod)
			if !ours || name == pkg {
				continue
			}
			permitted := false
			for _, a := range ok {
				if name == a {
					permitted = true
				}
			}
			if !permitted {
				t.Errorf("%s imports %s", pkg, name)
			}
		}
	}
	out, err := exec.Command("go", "list", "-deps", mod+"web").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "labstack/echo") == false {
		t.Fatal("sanity: web should depend on echo")
	}
	for _, pkg := range []string{"views", "auth", "graph", "static"} {
		out, _ := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if strings.Contains(string(out), "labstack/echo") {
			t.Errorf("%s imports echo", pkg)
		}
	}
}
