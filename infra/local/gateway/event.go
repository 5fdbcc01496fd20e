package gateway

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
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
	var raw struct {
		StatusCode        *int                `json:"statusCode"`
		Headers           map[string]string   `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Cookies           []string            `json:"cookies"`
		Body              string              `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(doc, &raw); err != nil {
		return response{}, errors.New("not a JSON response object")
	}
	if raw.StatusCode == nil {
		return response{}, errors.New("no statusCode")
	}
	if *raw.StatusCode < 100 || *raw.StatusCode > 599 {
		return response{}, errors.New("statusCode out of range")
	}
	resp := response{status: *raw.StatusCode, header: http.Header{}}
	for k, vs := range raw.MultiValueHeaders {
		for _, v := range vs {
			resp.header.Add(k, v)
		}
	}
	for k, v := range raw.Headers {
		resp.header.Set(k, v)
	}
	for _, c := range raw.Cookies {
		resp.header.Add("Set-Cookie", c)
	}
	if raw.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(raw.Body)
		if err != nil {
			return response{}, errors.New("body is not valid base64")
		}
		resp.body = b
	} else {
		resp.body = []byte(raw.Body)
	}
	if resp.header.Get("Content-Type") == "" && len(resp.body) > 0 {
		resp.header.Set("Content-Type", "application/json")
	}
	return resp, nil
}
