package gateway

import (
	"bytes"
	"encoding/base64"
	"errors"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/valyala/fastjson"
)

// buildEvent maps r to an API Gateway HTTP API payload 2.0 event.
func buildEvent(r *http.Request, m match, body []byte, requestID string, now time.Time) events.APIGatewayV2HTTPRequest {
	headers := make(map[string]string, len(r.Header)+4)
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	headers["host"] = r.Host
	sourceIP, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		sourceIP = r.RemoteAddr
	}
	if xff := headers["x-forwarded-for"]; xff != "" {
		headers["x-forwarded-for"] = xff + ", " + sourceIP
	} else {
		headers["x-forwarded-for"] = sourceIP
	}
	proto, port := "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = p
	}
	headers["x-forwarded-proto"] = proto
	headers["x-forwarded-port"] = port

	var query map[string]string
	if r.URL.RawQuery != "" {
		if vals, err := url.ParseQuery(r.URL.RawQuery); err == nil && len(vals) > 0 {
			query = make(map[string]string, len(vals))
			for k, vs := range vals {
				query[k] = strings.Join(vs, ",")
			}
		}
	}

	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              m.route.key,
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        m.params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     m.route.key,
			AccountID:    "local",
			Stage:        "$default",
			RequestID:    requestID,
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: strings.SplitN(r.Host, ".", 2)[0],
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type")) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// isText reports whether a body of this content type travels as plain text.
func isText(contentType string) bool {
	if contentType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/x-www-form-urlencoded",
		mt == "application/xml", strings.HasSuffix(mt, "+xml"),
		mt == "application/javascript":
		return true
	}
	return false
}

// response is a function's answer mapped to HTTP.
type response struct {
	status int
	header http.Header
	body   []byte
}

// parseResponse maps a payload 2.0 response document to HTTP.
func parseResponse(doc []byte) (response, error) {
	// fastjson validates and decodes in one pass; encoding/json's two (and
	// its reflection) cost about 8 ns a byte of the answer, a quarter of a
	// small function's whole time for a 15 KB body.
	p := responseParsers.Get()
	defer responseParsers.Put(p)
	v, err := p.ParseBytes(doc)
	if err != nil || v.Type() != fastjson.TypeObject {
		return response{}, errNotResponse
	}
	sc := v.Get("statusCode")
	if sc == nil {
		return response{}, errors.New("no statusCode")
	}
	status, err := sc.Int()
	if err != nil {
		return response{}, errNotResponse
	}
	if status < 100 || status > 599 {
		return response{}, errors.New("statusCode out of range")
	}
	resp := response{status: status, header: http.Header{}}
	if mv := v.Get("multiValueHeaders"); mv != nil && mv.Type() != fastjson.TypeNull {
		o, err := mv.Object()
		if err != nil {
			return response{}, errNotResponse
		}
		o.Visit(func(k []byte, vs *fastjson.Value) {
			arr, e := vs.Array()
			if e != nil && vs.Type() != fastjson.TypeNull {
				err = errNotResponse
			}
			for _, x := range arr {
				s, e := x.StringBytes()
				if e != nil {
					err = errNotResponse
				}
				resp.header.Add(string(k), string(s))
			}
		})
		if err != nil {
			return response{}, err
		}
	}
	if hv := v.Get("headers"); hv != nil && hv.Type() != fastjson.TypeNull {
		o, err := hv.Object()
		if err != nil {
			return response{}, errNotResponse
		}
		o.Visit(func(k []byte, x *fastjson.Value) {
			s, e := x.StringBytes()
			if e != nil && x.Type() != fastjson.TypeNull {
				err = errNotResponse
			}
			resp.header.Set(string(k), string(s))
		})
		if err != nil {
			return response{}, err
		}
	}
	if cv := v.Get("cookies"); cv != nil && cv.Type() != fastjson.TypeNull {
		arr, err := cv.Array()
		if err != nil {
			return response{}, errNotResponse
		}
		for _, c := range arr {
			s, err := c.StringBytes()
			if err != nil {
				return response{}, errNotResponse
			}
			resp.header.Add("Set-Cookie", string(s))
		}
	}
	var body []byte
	if bv := v.Get("body"); bv != nil && bv.Type() != fastjson.TypeNull {
		if body, err = bv.StringBytes(); err != nil {
			return response{}, errNotResponse
		}
	}
	base64Encoded := false
	if b := v.Get("isBase64Encoded"); b != nil && b.Type() != fastjson.TypeNull {
		if base64Encoded, err = b.Bool(); err != nil {
			return response{}, errNotResponse
		}
	}
	if base64Encoded {
		b, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			return response{}, errors.New("body is not valid base64")
		}
		resp.body = b
	} else {
		resp.body = bytes.Clone(body) // the parser's memory is reused
	}
	if resp.header.Get("Content-Type") == "" && len(resp.body) > 0 {
		resp.header.Set("Content-Type", "application/json")
	}
	return resp, nil
}

// errNotResponse is parseResponse's answer to a document of another shape.
var errNotResponse = errors.New("not a JSON response object")

// responseParsers reuses the parsers of the functions' answers.
var responseParsers fastjson.ParserPool
