package api

import (
	"encoding/base64"
	"testing"

	"roster/shared/domain"
)

// fuzzBody has the kinds of fields request bodies have.
type fuzzBody struct {
	Email       string   `json:"email"`
	Version     *int64   `json:"version"`
	Role        *string  `json:"role,omitempty"`
	Granted     []string `json:"granted"`
	All         bool     `json:"all"`
	Permissions *struct {
		All     bool     `json:"all"`
		Granted []string `json:"granted"`
	} `json:"permissions"`
}

// FuzzDecode: any body, plain or base64, either decodes or is refused with
// a 4xx domain error; it never panics.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@example.com","version":1}`,
		`{"permissions":{"all":false,"granted":["users.view"]}}`,
		`{"email":1}`, `{"unknown":true}`, `{} {}`, ``, `   `, `[`, `null`, `{"version":99999999999999999999}`,
		"{\"email\":\"\u202e\"}", `{"granted":[null,"x"]}`,
	} {
		f.Add(s, false, "application/json")
		f.Add(base64.StdEncoding.EncodeToString([]byte(s)), true, "")
	}
	f.Add("not base64 !", true, "application/json")
	f.Add(`{"email":"a"}`, false, "text/plain")
	f.Fuzz(func(t *testing.T, body string, b64 bool, contentType string) {
		req := Request{Body: body, IsBase64Encoded: b64, Headers: map[string]string{"content-type": contentType}}
		var v fuzzBody
		err := Decode(req, &v)
		if err == nil {
			return
		}
		e := domain.AsError(err)
		if e == nil {
			t.Fatalf("a refusal that is not a domain error: %v", err)
		}
		if s := StatusOf(e.Kind); s < 400 || s >= 500 {
			t.Fatalf("refused with %d (%v), want a 4xx", s, err)
		}
	})
}
