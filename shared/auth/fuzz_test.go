package auth

import (
	"testing"

	"roster/shared/api"
	"roster/shared/domain"
)

// FuzzSessionToken: any cookie header gives a user id and the hash of a
// well-formed token, or unauthenticated; nothing panics.
func FuzzSessionToken(f *testing.F) {
	tok, _ := NewToken()
	f.Add("roster_session=u1." + tok)
	f.Add("roster_session=u1")
	f.Add("roster_session=.; other=1")
	f.Add(`roster_session="u1.` + tok + `"`)
	f.Add("a=b; roster_session=u1." + tok + "; roster_session=u2.x")
	a := &Authenticator{}
	f.Fuzz(func(t *testing.T, cookie string) {
		userID, hash, err := a.SessionToken(api.Request{Headers: map[string]string{"cookie": cookie}, Cookies: []string{cookie}})
		if err != nil {
			if e := domain.AsError(err); e == nil || e.Kind != domain.EUnauthenticated {
				t.Fatalf("refused with %v, want unauthenticated", err)
			}
			return
		}
		if userID == "" || len(userID) > 64 || len(hash) != 64 {
			t.Fatalf("accepted %q as user %q hash %q", cookie, userID, hash)
		}
	})
}

// FuzzParseToken: a token is 32 random bytes in URL-safe base64 or it is
// refused; nothing panics.
func FuzzParseToken(f *testing.F) {
	tok, _ := NewToken()
	f.Add(tok)
	f.Add(tok + "=")
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, token string) {
		hash, err := ParseToken(token)
		if err == nil && (len(token) != 43 || hash != HashToken(token)) {
			t.Fatalf("accepted %q", token)
		}
	})
}
