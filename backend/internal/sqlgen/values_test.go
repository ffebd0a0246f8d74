package sqlgen

import (
	"strings"
	"testing"
)

func TestPlainDecimal(t *testing.T) {
	for in, want := range map[string]string{
		"-2E-2": "-0.02", "1.5e3": "1500", "-1E-30": "-0.000000000000000000000000000001",
		"12": "12", "3.25": "3.25", "1.1e1": "11", "2.5E+2": "250",
	} {
		if got := plainDecimal(in); got != want {
			t.Errorf("plainDecimal(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestScientific(t *testing.T) {
	for in, want := range map[string]string{"2147483648": "2.147483648e9", "3000000000": "3.0e9", "-2147483649": "-2.147483649e9"} {
		if got := scientific(in); got != want {
			t.Errorf("scientific(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestLikeToGlob(t *testing.T) {
	for in, want := range map[string]string{`a%`: `a*`, `_b`: `?b`, `100\%`: `100%`, `a*b`: `a[*]b`, `x\_y`: `x_y`} {
		if got := likeToGlob(in); got != want {
			t.Errorf("likeToGlob(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11":  true,
		"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11":  true,
		"{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}": true,
		"a0eebc999c0b4ef8bb6d6bb9bd380a11":      true,
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1":   false,
		"nope":                                  false,
		"-a0eebc999c0b4ef8bb6d6bb9bd380a11":     false,
	} {
		if got := validUUID(s); got != want {
			t.Errorf("validUUID(%q) = %v", s, got)
		}
	}
}

func TestHaskellShow(t *testing.T) {
	for in, want := range map[string]string{
		"-1.1": "-1.1", "-1E-30": "-1.0e-30", "12345": "12345.0", "12345.67": "12345.67",
		"0.1": "0.1", "0.01": "1.0e-2", "100000000": "1.0e8", "0": "0.0", "2.50": "2.5", "-3E-4": "-3.0e-4",
	} {
		if got := haskellShow(in); got != want {
			t.Errorf("haskellShow(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestDecodeOrderedDepth(t *testing.T) {
	deep := strings.Repeat("[", 2000) + strings.Repeat("]", 2000)
	if _, err := DecodeOrdered([]byte(deep)); err == nil {
		t.Fatal("no error for 2000 levels")
	}
	v, err := DecodeOrdered([]byte(`{"b":1,"a":[true,null,"x"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if o := v.(*Obj); strings.Join(o.Keys, ",") != "b,a" {
		t.Errorf("keys %v", o.Keys)
	}
}
