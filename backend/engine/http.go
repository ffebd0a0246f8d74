package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/sqlgen"
)

// gqlRequest is one element of a request body.
type gqlRequest struct {
	Query         string
	OperationName string
	Variables     map[string]any
	// rawVariables is the variables object re-encoded (key order kept),
	// part of the plan cache key.
	rawVariables []byte
}

// ServeHTTP answers POST /v1/graphql: a single request object or a batch
// (JSON array). GraphQL errors are HTTP 200 with {"errors": [...]}.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, gqlerr.Body(gqlerr.New(gqlerr.BadRequest, "$", "only POST is supported")))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, e.opts.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeJSON(w, http.StatusRequestEntityTooLarge, gqlerr.Body(gqlerr.New(gqlerr.BadRequest, "$", "request body too large")))
			return
		}
		writeJSON(w, http.StatusBadRequest, gqlerr.Body(gqlerr.New(gqlerr.BadRequest, "$", "could not read request body")))
		return
	}
	writeJSON(w, http.StatusOK, e.Handle(r.Context(), r, body))
}

// Handle answers a request body for the request's headers and returns the
// response body. It never panics: a panic becomes an unexpected error.
func (e *Engine) Handle(ctx context.Context, r *http.Request, body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(trimmed, &raws); err != nil {
			return gqlerr.Body(gqlerr.New(gqlerr.InvalidJSON, "$", "%s", jsonErrText(err)))
		}
		sess, gerr := e.resolveSession(r)
		if gerr != nil {
			// Authentication fails the whole HTTP request, batch or not.
			return gqlerr.Body(gerr)
		}
		if len(raws) > e.opts.MaxBatch {
			return gqlerr.Body(gqlerr.Validation("$", "the batch exceeds the maximum of %d requests", e.opts.MaxBatch))
		}
		var out bytes.Buffer
		out.WriteByte('[')
		for i, raw := range raws {
			if i > 0 {
				out.WriteByte(',')
			}
			out.Write(e.one(ctx, sess, raw))
		}
		out.WriteByte(']')
		return out.Bytes()
	}
	if !json.Valid(trimmed) {
		return gqlerr.Body(gqlerr.New(gqlerr.InvalidJSON, "$", "Error in $: Failed reading: not a valid json value"))
	}
	sess, gerr := e.resolveSession(r)
	if gerr != nil {
		return gqlerr.Body(gerr)
	}
	return e.one(ctx, sess, trimmed)
}

func jsonErrText(err error) string { return "Error in $: " + err.Error() }

// decodeRequest reads {query, variables?, operationName?}.
func decodeRequest(raw []byte) (*gqlRequest, *gqlerr.Error) {
	v, err := sqlgen.DecodeOrdered(raw)
	if err != nil {
		return nil, gqlerr.New(gqlerr.InvalidJSON, "$", "%s", jsonErrText(err))
	}
	o, ok := v.(*sqlgen.Obj)
	if !ok {
		return nil, gqlerr.New(gqlerr.ParseFailed, "$", "Error in $: parsing GQLReq failed, expected Object, but encountered %s", jsonKind(v))
	}
	req := &gqlRequest{}
	q, ok := o.Get("query")
	if !ok {
		return nil, gqlerr.New(gqlerr.ParseFailed, "$", "Error in $: parsing GQLReq failed, key \"query\" not found")
	}
	if req.Query, ok = q.(string); !ok {
		return nil, gqlerr.New(gqlerr.ParseFailed, "$.query", "Error in $.query: parsing Text failed, expected String, but encountered %s", jsonKind(q))
	}
	if n, ok := o.Get("operationName"); ok && n != nil {
		if req.OperationName, ok = n.(string); !ok {
			return nil, gqlerr.New(gqlerr.ParseFailed, "$.operationName", "Error in $.operationName: expected String, but encountered %s", jsonKind(n))
		}
	}
	if vars, ok := o.Get("variables"); ok && vars != nil {
		vo, ok := vars.(*sqlgen.Obj)
		if !ok {
			return nil, gqlerr.New(gqlerr.ParseFailed, "$.variables", "Error in $.variables: parsing HashMap failed, expected Object, but encountered %s", jsonKind(vars))
		}
		req.Variables = map[string]any{}
		for i, k := range vo.Keys {
			req.Variables[k] = vo.Vals[i]
		}
		req.rawVariables, _ = json.Marshal(vo)
	}
	return req, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "Null"
	case bool:
		return "Boolean"
	case string:
		return "String"
	case []any:
		return "Array"
	case *sqlgen.Obj:
		return "Object"
	}
	return "Number"
}

// one answers a single request object.
func (e *Engine) one(ctx context.Context, sess *session, raw []byte) (out []byte) {
	defer func() {
		if p := recover(); p != nil {
			e.log.Error("graphql request panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			out = gqlerr.Body(gqlerr.New(gqlerr.Unexpected, "$", "internal error"))
		}
	}()
	req, gerr := decodeRequest(raw)
	if gerr != nil {
		return gqlerr.Body(gerr)
	}
	data, gerr := e.execute(ctx, sess, req)
	if gerr != nil {
		if !sess.admin {
			gerr.Internal = nil
		}
		return gqlerr.Body(gerr)
	}
	return data
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// dataBody renders {"data": {...}} from the root fields in order.
func dataBody(aliases []string, values []json.RawMessage) []byte {
	var sb strings.Builder
	sb.WriteString(`{"data":{`)
	for i, a := range aliases {
		if i > 0 {
			sb.WriteByte(',')
		}
		kb, _ := json.Marshal(a)
		sb.Write(kb)
		sb.WriteByte(':')
		sb.Write(values[i])
	}
	sb.WriteString("}}")
	return []byte(sb.String())
}
