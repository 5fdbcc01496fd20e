package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"roster/shared/domain"
)

// MaxBodyBytes bounds every request body the API accepts.
const MaxBodyBytes = 64 << 10

// Body returns the request body, decoding base64 when API Gateway encoded it.
// It returns a too_large error past MaxBodyBytes.
func Body(req Request) ([]byte, error) {
	b := []byte(req.Body)
	if req.IsBase64Encoded {
		d, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return nil, domain.CodeInvalidBody.Field("", "The request body is not valid base64.")
		}
		b = d
	}
	if len(b) > MaxBodyBytes {
		return nil, domain.Errorf(domain.ETooLarge, "The request body is larger than %d KB.", MaxBodyBytes>>10)
	}
	return b, nil
}

// Decode reads the JSON body into v. Unknown fields, trailing data, a
// non-JSON content type and bodies over MaxBodyBytes are refused with a clear
// error; the field of a type mismatch is named.
func Decode(req Request, v any) error {
	b, err := Body(req)
	if err != nil {
		return err
	}
	if ct := Header(req, "content-type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return domain.CodeInvalidContentType.Field("", "Send the request body as application/json.")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return domain.CodeInvalidBody.Field("", "The request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return domain.CodeInvalidBody.Field(typeErr.Field, fmt.Sprintf("The field %q has the wrong type.", typeErr.Field))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return domain.CodeUnknownField.Field(field, fmt.Sprintf("The field %q is not accepted here.", field))
		default:
			return domain.CodeInvalidJson.Field("", "The request body is not valid JSON.")
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return domain.CodeInvalidJson.Field("", "The request body has data after the JSON object.")
	}
	return nil
}

// Header returns a request header by case-insensitive name.
func Header(req Request, name string) string {
	if v, ok := req.Headers[name]; ok {
		return v
	}
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// Cookie returns the named cookie from the request (payload 2.0 puts cookies
// in their own list).
func Cookie(req Request, name string) (string, bool) {
	raw := strings.Join(req.Cookies, "; ")
	if raw == "" {
		raw = Header(req, "cookie")
	}
	cs, err := http.ParseCookie(raw)
	if err != nil {
		// Fall back to the cookies that do parse, one by one.
		for _, c := range req.Cookies {
			if p, err := http.ParseCookie(c); err == nil {
				for _, ck := range p {
					if ck.Name == name {
						return ck.Value, true
					}
				}
			}
		}
		return "", false
	}
	for _, c := range cs {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}

// SetCookie adds a Set-Cookie to the response.
func SetCookie(resp *Response, c *http.Cookie) {
	resp.Cookies = append(resp.Cookies, c.String())
}

// PathParam returns a path parameter or a not_found error when it is missing.
func PathParam(req Request, name string) (string, error) {
	v := req.PathParameters[name]
	if v == "" || len(v) > 64 {
		return "", domain.Errorf(domain.ENotFound, "Not found.")
	}
	return v, nil
}

// SourceIP returns the client's address as API Gateway saw it.
func SourceIP(req Request) string { return req.RequestContext.HTTP.SourceIP }

// UserAgent returns the client's user agent, cut to a sane length.
func UserAgent(req Request) string {
	ua := req.RequestContext.HTTP.UserAgent
	if ua == "" {
		ua = Header(req, "user-agent")
	}
	if len(ua) > 256 {
		ua = ua[:256]
	}
	return ua
}

// VersionBody is the body of a request that names only the version of
// what it acts on (deleting a project).
type VersionBody struct {
	Version int64 `json:"version"`
}

// TokenBody is the body of a request that carries a token from an emailed
// link (verifying an address, previewing or accepting an invitation).
type TokenBody struct {
	Token string `json:"token"`
}

// Notice is the body of a 202 answer: what happened, in words.
type Notice struct {
	Status string `json:"status"`
}

var errMissingVersion = domain.CodeMissingVersion.Field("version", "Send the version of what you act on.")

// Version returns the version (of a member, a project) a request acts on: the query
// parameter version, else the JSON body's version. It returns invalid
// missing_version when there is none or it is not a positive whole number,
// and the errors of Decode for a malformed body.
func Version(req Request) (int64, error) {
	if v, ok := req.QueryStringParameters["version"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, errMissingVersion
		}
		return n, nil
	}
	b, err := Body(req)
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(string(b)) == "" {
		return 0, errMissingVersion
	}
	var body VersionBody
	if err := Decode(req, &body); err != nil {
		return 0, err
	}
	if body.Version <= 0 {
		return 0, errMissingVersion
	}
	return body.Version, nil
}
