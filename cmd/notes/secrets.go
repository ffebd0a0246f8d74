package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// devSecrets are generated once per data folder when the environment gives
// none, and kept in <data>/secrets.json with mode 0600, so a restart keeps
// sessions and tokens valid.
type devSecrets struct {
	AdminSecret     string `json:"adminSecret"`
	JWTKey          string `json:"jwtKey"`
	SessionHashKey  string `json:"sessionHashKey"`
	SessionBlockKey string `json:"sessionBlockKey"`
}

const secretsFile = "secrets.json"

// loadDevSecrets reads the data folder's secrets, creating any that are
// missing. It refuses a secrets file that others may read.
func loadDevSecrets(dataDir string) (devSecrets, string, error) {
	path := filepath.Join(dataDir, secretsFile)
	var s devSecrets
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return s, path, fmt.Errorf("read %s: %w", path, err)
	default:
		fi, err := os.Stat(path)
		if err != nil {
			return s, path, err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			return s, path, fmt.Errorf("%s is readable by others (mode %v); chmod 600 it", path, fi.Mode().Perm())
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return s, path, fmt.Errorf("parse %s: %w", path, err)
		}
	}
	changed := false
	fill := func(v *string, n int) {
		if *v == "" {
			*v = randomHex(n)
			changed = true
		}
	}
	fill(&s.AdminSecret, 24)
	fill(&s.JWTKey, 32)
	fill(&s.SessionHashKey, 32)
	fill(&s.SessionBlockKey, 32)
	if !changed {
		return s, path, nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return s, path, fmt.Errorf("create data folder: %w", err)
	}
	out, _ := json.MarshalIndent(s, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(out, '\n'), 0o600); err != nil {
		return s, path, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return s, path, fmt.Errorf("write %s: %w", path, err)
	}
	return s, path, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// hexKey decodes a session key given in the environment and checks its size.
func hexKey(name, v string, sizes ...int) ([]byte, error) {
	b, err := hex.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("%s: not hex: %w", name, err)
	}
	for _, n := range sizes {
		if len(b) == n {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%s: %d bytes, want one of %v", name, len(b), sizes)
}
