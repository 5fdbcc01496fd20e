// Package authtest helps the tests of Roster's functions: a fresh table on
// DynamoDB Local with users and sessions in it, requests built from the
// events/*.json samples, and readers of JSON answers. It is for tests only.
package authtest

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

// Password is the password of the users Env.User makes.
const Password = "a long and unusual passphrase"

// cheap are argon2id parameters for test users only: VerifyPassword reads
// the parameters from the hash, so tests need not pay the real cost.
var cheap = auth.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

// Env is one test's table with its store and authenticator (cookies are not
// Secure, as on http://localhost).
type Env struct {
	DB    *dynamodb.Client
	Table string
	Store *store.Store
	Auth  *auth.Authenticator
}

// New returns an Env over a new table of the test.
func New(t testing.TB) *Env {
	t.Helper()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	return &Env{DB: db, Table: table, Store: s, Auth: auth.NewAuthenticator(s, false)}
}

// User creates a user with Password and a unique email, verified or not.
func (e *Env) User(t testing.TB, verified bool) domain.User {
	t.Helper()
	hash, err := auth.HashPassword(Password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	u := domain.User{ID: store.NewID(), Email: testenv.UniqueEmail(t), FirstName: "Ada", LastName: "Lovelace",
		EmailVerified: verified, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := e.Store.CreateUser(context.Background(), u, store.Token{}); err != nil {
		t.Fatalf("create user: %v", err)
	}
	u.Version = 1
	return u
}

// SignIn stores a new session of the user and returns the Cookie header
// value that carries it.
func (e *Env) SignIn(t testing.TB, u domain.User) string {
	t.Helper()
	sess, token := auth.NewSession(u, domain.Actor{}, time.Now().UTC())
	if err := e.Store.CreateSession(context.Background(), sess); err != nil {
		t.Fatalf("create session: %v", err)
	}
	return auth.CookieName(false) + "=" + u.ID + "." + token
}

// Count counts the items under a partition key with a Query (never a Scan).
func (e *Env) Count(t testing.TB, pk string) int {
	t.Helper()
	return e.count(t, "", "PK", pk)
}

// CountGSI1 counts the items under a GSI1 partition key with a Query.
func (e *Env) CountGSI1(t testing.TB, pk string) int {
	t.Helper()
	return e.count(t, store.IndexGSI1, "GSI1PK", pk)
}

func (e *Env) count(t testing.TB, index, attr, pk string) int {
	t.Helper()
	return testenv.Count(t, e.DB, e.Table, index, attr, pk)
}

// Sessions counts the user's stored sessions (GSI1, one Query).
func (e *Env) Sessions(t testing.TB, userID string) int {
	t.Helper()
	return e.CountGSI1(t, "USER#"+userID+"#SESSIONS")
}

// GetUser reads the user, failing the test when it cannot.
func (e *Env) GetUser(t testing.TB, userID string) domain.User {
	t.Helper()
	u, err := e.Store.GetUser(context.Background(), userID)
	if err != nil {
		t.Fatalf("get user: %v", err)
	}
	return u
}

// Request loads events/<event> and sets its body (a string is used as it
// is, anything else is JSON-encoded; nil keeps the sample's body) and its
// cookie ("" sends none).
func Request(t testing.TB, event string, body any, cookie string) api.Request {
	t.Helper()
	req := testenv.Event(t, event)
	switch b := body.(type) {
	case nil:
	case string:
		req.Body = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		req.Body = string(raw)
	}
	req.Cookies = nil
	if cookie != "" {
		req.Cookies = []string{cookie}
	}
	return req
}

// Call runs a handler and fails the test when it returns an error instead
// of a response: errors must go through api.Error, as api.Wrap does.
func Call(t testing.TB, h api.HandlerFunc, req api.Request) api.Response {
	t.Helper()
	resp, err := h(context.Background(), req)
	if err != nil {
		return api.Error(context.Background(), err)
	}
	return resp
}

// ErrorBody is the JSON of an error answer.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// ErrorOf decodes an error answer.
func ErrorOf(t testing.TB, resp api.Response) ErrorBody {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal([]byte(resp.Body), &b); err != nil {
		t.Fatalf("error body %q: %v", resp.Body, err)
	}
	return b
}

// Decode decodes a JSON answer into v.
func Decode(t testing.TB, resp api.Response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(resp.Body), v); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
}

// SessionCookie returns the "name=value" of the session cookie a response
// sets, or "" when it sets none or clears it.
func SessionCookie(t testing.TB, resp api.Response) string {
	t.Helper()
	for _, c := range resp.Cookies {
		ck, err := http.ParseSetCookie(c)
		if err != nil {
			t.Fatalf("Set-Cookie %q: %v", c, err)
		}
		if ck.Name == auth.CookieName(false) && ck.Value != "" && ck.MaxAge >= 0 {
			return ck.Name + "=" + ck.Value
		}
	}
	return ""
}

var tokenInLink = regexp.MustCompile(`#token=([A-Za-z0-9_-]{43})`)

// TokenFromMail returns the token of the newest mail the local SES holds
// for the address (from its link's fragment), or fails the test.
func TokenFromMail(t testing.TB, address string) string {
	t.Helper()
	mails := testenv.MailTo(t, address)
	if len(mails) == 0 {
		t.Fatalf("no mail to %s", address)
	}
	m := tokenInLink.FindStringSubmatch(mails[len(mails)-1].Body.Text)
	if m == nil {
		t.Fatalf("no token link in mail to %s: %q", address, mails[len(mails)-1].Body.Text)
	}
	return m[1]
}

// Mails returns how many mails the local SES holds for the address.
func Mails(t testing.TB, address string) int {
	t.Helper()
	return len(testenv.MailTo(t, strings.ToLower(address)))
}
