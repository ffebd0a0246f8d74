package web

import (
	"net"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
)

// ipExtractor decides what c.RealIP() believes. Without trusted proxies it
// is the socket's peer address: X-Forwarded-For and X-Real-IP come from the
// client and would let anyone pick their IP (rate limits, the loopback-only
// dev inbox). With trusted proxies it reads X-Forwarded-For from the right,
// skipping only those ranges; loopback, link-local and private addresses
// are not trusted unless listed.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// passClientIP puts the client's IP in the request context for the auth
// client, which forwards it to the auth service (auth.WithClientIP).
func passClientIP(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		c.SetRequest(r.WithContext(auth.WithClientIP(r.Context(), c.RealIP())))
		return next(c)
	}
}
