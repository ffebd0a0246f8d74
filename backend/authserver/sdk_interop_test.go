package authserver

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/testenv"
)

// TestNhostSDKInterop drives the server with the official @nhost/nhost-js
// v4 SDK. It needs node and the SDK installed in testdata/sdk
// (`npm ci --prefix backend/authserver/testdata/sdk`, or NOTES_NHOST_SDK_DIR
// naming a folder with node_modules/@nhost/nhost-js); it skips otherwise.
func TestNhostSDKInterop(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Unavailable(t, "node is not installed")
	}
	dir, _ := filepath.Abs("testdata/sdk")
	modules := os.Getenv("NOTES_NHOST_SDK_DIR")
	if modules == "" {
		modules = dir
	}
	if _, err := os.Stat(filepath.Join(modules, "node_modules", "@nhost", "nhost-js")); err != nil {
		testenv.Unavailable(t, "@nhost/nhost-js is not installed in %s (npm ci --prefix backend/authserver/testdata/sdk)", modules)
	}
	// The SDK compares token expiry with the real clock.
	e := mustEnv(t, sqliteURL, setup{opts: func(o *Options) { o.Now = time.Now }})
	script := filepath.Join(modules, "interop.mjs")
	if modules != dir {
		b, err := os.ReadFile(filepath.Join(dir, "interop.mjs"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(script, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, script, e.base, testAdminSecret).CombinedOutput()
	if err != nil {
		t.Fatalf("SDK interop failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
