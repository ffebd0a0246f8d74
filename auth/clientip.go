package auth

import (
	"context"
	"net/netip"
)

type clientIPKey struct{}

// WithClientIP returns ctx carrying the end user's IP address. The Client
// sends it to the auth service as X-Forwarded-For, so the service's per-IP
// rate limits count each user instead of putting every user of the app in
// the app server's one bucket. The embedded auth service believes the
// header only from a loopback or in-process peer (this app); other
// services apply their own proxy rules. An unparsable ip is ignored.
func WithClientIP(ctx context.Context, ip string) context.Context {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ctx
	}
	return context.WithValue(ctx, clientIPKey{}, addr.Unmap().String())
}

// clientIP returns the IP WithClientIP put in ctx, or "".
func clientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}
