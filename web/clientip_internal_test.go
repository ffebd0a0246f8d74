package web

import (
	"net"
	"net/http/httptest"
	"testing"
)

// TestIPExtractor: without trusted proxies the socket's peer is the client
// whatever the headers say; with them, X-Forwarded-For is read from the
// right and only the listed ranges are skipped.
func TestIPExtractor(t *testing.T) {
	t.Parallel()
	_, proxies, _ := net.ParseCIDR("192.0.2.0/24")
	tests := []struct {
		name    string
		trusted []*net.IPNet
		peer    string
		hdr     map[string]string
		want    string
	}{
		{"direct", nil, "203.0.113.5:4000", nil, "203.0.113.5"},
		{"forged X-Forwarded-For", nil, "203.0.113.5:4000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, "203.0.113.5"},
		{"forged X-Real-IP", nil, "203.0.113.5:4000", map[string]string{"X-Real-IP": "127.0.0.1"}, "203.0.113.5"},
		{"forged from loopback", nil, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "198.51.100.7"}, "127.0.0.1"},
		{"trusted proxy", []*net.IPNet{proxies}, "192.0.2.10:4000", map[string]string{"X-Forwarded-For": "198.51.100.7"}, "198.51.100.7"},
		{"forged hop before the proxy", []*net.IPNet{proxies}, "192.0.2.10:4000", map[string]string{"X-Forwarded-For": "127.0.0.1, 198.51.100.7"}, "198.51.100.7"},
		{"untrusted peer", []*net.IPNet{proxies}, "203.0.113.5:4000", map[string]string{"X-Forwarded-For": "127.0.0.1"}, "203.0.113.5"},
		{"loopback not trusted unless listed", []*net.IPNet{proxies}, "127.0.0.1:4000", map[string]string{"X-Forwarded-For": "198.51.100.7"}, "127.0.0.1"},
		{"private net not trusted unless listed", []*net.IPNet{proxies}, "10.1.2.3:4000", map[string]string{"X-Forwarded-For": "198.51.100.7"}, "10.1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			for k, v := range tt.hdr {
				r.Header.Set(k, v)
			}
			if got := ipExtractor(tt.trusted)(r); got != tt.want {
				t.Fatalf("client IP = %q, want %q", got, tt.want)
			}
		})
	}
}
