package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-nope"}, "not defined"},
		{"bad mix", []string{"-mix", "70,30"}, "three weights"},
		{"no target", []string{"-target", ""}, "not an http(s) URL"},
		{"not a URL", []string{"-target", "localhost:8080"}, "not an http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v, want an error about %q", tc.args, err, tc.want)
			}
		})
	}
}
