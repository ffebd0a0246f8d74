package auth

import (
	"bytes"
	"errors"

	"github.com/gorilla/securecookie"
)

// stateKey is the one value of the session cookie: the State as JSON.
const stateKey = "s"

// jsonMarker starts a cookie value that stateSerializer wrote. A gob
// stream, the format securecookie uses by default, never starts with it:
// its first byte is a message length, 0x00-0x7f, or 0xf8-0xff for the
// length of a longer length.
const jsonMarker = 0x80

// stateSerializer stores the session's one value, the State's JSON, as
// it is behind jsonMarker, instead of gob-encoding the map that holds it:
// gob sends the map's types in every cookie and a new decoder compiles
// them on every request, a tenth of the app's CPU time on a notes page.
// Cookies written in gob (before this format) still load; anything else
// is written in gob as before.
type stateSerializer struct{}

// Serialize implements securecookie.Serializer.
func (stateSerializer) Serialize(src any) ([]byte, error) {
	if m, ok := src.(map[any]any); ok && len(m) == 1 {
		if raw, ok := m[stateKey].([]byte); ok {
			return append([]byte{jsonMarker}, raw...), nil
		}
	}
	return securecookie.GobEncoder{}.Serialize(src)
}

// Deserialize implements securecookie.Serializer.
func (stateSerializer) Deserialize(src []byte, dst any) error {
	if len(src) == 0 || src[0] != jsonMarker {
		return securecookie.GobEncoder{}.Deserialize(src, dst)
	}
	m, ok := dst.(*map[any]any)
	if !ok {
		return errors.New("session cookie: cannot decode into this value")
	}
	if *m == nil {
		*m = map[any]any{}
	}
	(*m)[stateKey] = bytes.Clone(src[1:])
	return nil
}
