package contract

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"roster/shared/api"
)

//go:embed openapi.yaml
var committed []byte

// Validator holds requests and answers to the committed document.
type Validator struct {
	doc    *openapi3.T
	routes map[string]*routers.Route
}

// ErrViolation marks a request and answer the document does not describe.
var ErrViolation = errors.New("contract violation")

// Load parses and validates the committed document.
func Load() (*Validator, error) { return load(committed) }

func load(raw []byte) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("contract: the document is not valid OpenAPI: %w", err)
	}
	v := &Validator{doc: doc, routes: map[string]*routers.Route{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			v.routes[method+" "+path] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}
		}
	}
	return v, nil
}

// Shared returns the process's one Validator of the committed document.
var Shared = sync.OnceValues(Load)

func init() {
	// The history export answers files; the contract only says they are text.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
}

// Routes returns the document's route keys ("GET /api/health").
func (v *Validator) Routes() []string {
	out := make([]string, 0, len(v.routes))
	for k := range v.routes {
		out = append(out, k)
	}
	return out
}

// Check holds one exchange, an API Gateway event and the function's
// answer, to the document. It returns an error wrapping ErrViolation when
// the answer has a status, header, field or shape the document does not
// describe for the route, or when the function accepted (2xx) a request
// the document says is invalid; a refused invalid request is what the
// document expects. An event without a route key (a hand-built test
// request) is not checked.
func (v *Validator) Check(ctx context.Context, req api.Request, resp api.Response) error {
	key := req.RouteKey
	if key == "" {
		key = req.RequestContext.RouteKey
	}
	if key == "" {
		return nil
	}
	route, ok := v.routes[key]
	if !ok {
		return fmt.Errorf("%w: %s is not in the document", ErrViolation, key)
	}
	hreq, err := httpRequest(ctx, route, req)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrViolation, key, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: hreq, PathParams: req.PathParameters, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, RejectWhenRequestBodyNotSpecified: true},
	}
	reqErr := openapi3filter.ValidateRequest(ctx, in)

	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			return fmt.Errorf("%w: %s answered a body that is not base64", ErrViolation, key)
		}
	}
	header := http.Header{}
	for k, val := range resp.Headers {
		header.Set(k, val)
	}
	for k, vals := range resp.MultiValueHeaders {
		for _, val := range vals {
			header.Add(k, val)
		}
	}
	for _, c := range resp.Cookies {
		header.Add("Set-Cookie", c)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("%w: %s answered %d: %v; body: %.300s", ErrViolation, key, resp.StatusCode, err, body)
	}
	if reqErr != nil && resp.StatusCode < 400 {
		return fmt.Errorf("%w: %s accepted (%d) a request the document refuses: %v", ErrViolation, key, resp.StatusCode, reqErr)
	}
	return nil
}

// httpRequest rebuilds the HTTP request an API Gateway event came from.
func httpRequest(ctx context.Context, route *routers.Route, req api.Request) (*http.Request, error) {
	path := route.Path
	for name, val := range req.PathParameters {
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(val))
	}
	q := url.Values{}
	for k, val := range req.QueryStringParameters {
		q.Set(k, val)
	}
	if len(req.QueryStringParameters) == 0 && req.RawQueryString != "" {
		var err error
		if q, err = url.ParseQuery(req.RawQueryString); err != nil {
			return nil, err
		}
	}
	u := &url.URL{Path: path, RawQuery: q.Encode()}
	body := []byte(req.Body)
	if req.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(req.Body); err != nil {
			return nil, err
		}
	}
	method := route.Method
	hreq, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, val := range req.Headers {
		hreq.Header.Set(k, val)
	}
	if len(body) > 0 && hreq.Header.Get("Content-Type") == "" {
		// The API reads a body without a Content-Type as JSON (api.Decode).
		hreq.Header.Set("Content-Type", "application/json")
	}
	if len(req.Cookies) > 0 {
		hreq.Header.Set("Cookie", strings.Join(req.Cookies, "; "))
	}
	if len(body) == 0 {
		hreq.Body = http.NoBody
		hreq.ContentLength = 0
	}
	return hreq, nil
}
