package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roster/shared/store"
)

// root is the repository's root, from this package's directory.
const root = "../.."

func TestFunctionsAreValid(t *testing.T) {
	if err := Validate(Functions); err != nil {
		t.Errorf("got %v, want the function list to be valid", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Function{Name: "a", Handler: "x.A", Description: "A.", Routes: []Route{{"GET", "/api/a"}}, TableActions: []string{"dynamodb:GetItem"}}
	with := func(change func(*Function)) []Function {
		f := ok
		change(&f)
		return []Function{f}
	}
	tests := []struct {
		name string
		fns  []Function
		want string // a fragment of the error; "" for none
	}{
		{"valid", []Function{ok}, ""},
		{"valid stream function without routes", with(func(f *Function) { f.Routes = nil; f.Stream = true; f.DeadLetters = true }), ""},
		{"valid mail events function without routes", with(func(f *Function) { f.Routes = nil; f.MailEvents = true; f.DeadLetters = true }), ""},
		{"stream function that would drop failures", with(func(f *Function) { f.Routes = nil; f.Stream = true }), "keeps its failures"},
		{"mail events function that would drop failures", with(func(f *Function) { f.Routes = nil; f.MailEvents = true }), "keeps its failures"},
		{"nothing invokes it", with(func(f *Function) { f.Routes = nil }), "nothing would invoke it"},
		{"no name", with(func(f *Function) { f.Name = "" }), "needs a name, a handler and a description"},
		{"no handler", with(func(f *Function) { f.Handler = "" }), "needs a name, a handler and a description"},
		{"no description", with(func(f *Function) { f.Description = "" }), "needs a name, a handler and a description"},
		{"repeated name", []Function{ok, {Name: "a", Handler: "x.B", Description: "B.", Stream: true}}, "name a is used twice"},
		{"repeated route", []Function{ok, {Name: "b", Handler: "x.B", Description: "B.", Routes: []Route{{"GET", "/api/a"}}}}, "served by both a and b"},
		{"lower-case method", with(func(f *Function) { f.Routes = []Route{{"get", "/api/a"}} }), "upper-case method"},
		{"path outside /api", with(func(f *Function) { f.Routes = []Route{{"GET", "/a"}} }), "under /api/"},
		{"scan", with(func(f *Function) { f.TableActions = []string{"dynamodb:Scan"} }), `"dynamodb:Scan" is not allowed`},
		{"wildcard", with(func(f *Function) { f.TableActions = []string{"dynamodb:*"} }), "is not allowed"},
		{"transaction action", with(func(f *Function) { f.TableActions = []string{"dynamodb:TransactWriteItems"} }), "is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.fns)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestLogicalID(t *testing.T) {
	for name, want := range map[string]string{
		"health": "HealthFunction", "member-update": "MemberUpdateFunction",
		"auth-password-reset-confirm": "AuthPasswordResetConfirmFunction", "me-2fa": "Me2faFunction",
	} {
		if got := (Function{Name: name}).LogicalID(); got != want {
			t.Errorf("%s: got %s, want %s", name, got, want)
		}
	}
}

// TestTemplateIsGenerated holds the committed template.yaml to a fresh
// generation, so that git always holds what the Go declares.
func TestTemplateIsGenerated(t *testing.T) {
	want, err := SAMTemplate(Functions, store.Table)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, TemplatePath))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("template.yaml differs from a fresh generation: run make template and commit it")
	}
}

// TestEveryFunctionHasItsMain holds functions/<name>/main.go of every
// declared function to a fresh generation (it starts the declared handler
// under its own name), and finds no undeclared directory under functions/.
func TestEveryFunctionHasItsMain(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, f := range Functions {
		declared[f.Name] = true
		want, err := MainGo(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(root, MainPath(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh generation (%v): run make template and commit it", MainPath(f), err)
		}
	}
	for _, d := range dirs {
		if d.IsDir() && !declared[d.Name()] {
			t.Errorf("functions/%s is not declared in shared/deploy", d.Name())
		}
	}
}

// TestEventsMatchDeclarations checks every sample event under events/: an
// HTTP event's route key is a declared route, of the function it is named
// after (events/<function>.json), and its path parameters are the route's.
func TestEventsMatchDeclarations(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "events", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("got %d events (%v), want some", len(files), err)
	}
	routes := map[string]string{}
	for _, f := range Functions {
		for _, r := range f.Routes {
			routes[r.String()] = f.Name
		}
	}
	seen := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var ev struct {
			RouteKey       string            `json:"routeKey"`
			PathParameters map[string]string `json:"pathParameters"`
			Records        []any             `json:"Records"`
		}
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		base := strings.TrimSuffix(filepath.Base(file), ".json")
		if ev.RouteKey == "" {
			if len(ev.Records) == 0 {
				t.Errorf("%s: neither an HTTP event (routeKey) nor a batch of records", base)
			}
			continue
		}
		fn, ok := routes[ev.RouteKey]
		switch {
		case !ok:
			t.Errorf("%s: route key %q is not declared", base, ev.RouteKey)
			continue
		case fn != base:
			t.Errorf("%s: route key %q is %s's", base, ev.RouteKey, fn)
		}
		seen[fn] = true
		for _, p := range pathParams(ev.RouteKey) {
			if ev.PathParameters[p] == "" {
				t.Errorf("%s: path parameter %s is missing", base, p)
			}
		}
		if len(ev.PathParameters) != len(pathParams(ev.RouteKey)) {
			t.Errorf("%s: path parameters %v, want exactly %v", base, ev.PathParameters, pathParams(ev.RouteKey))
		}
	}
	for _, f := range Functions {
		if len(f.Routes) > 0 && !seen[f.Name] {
			t.Errorf("%s: no events/%s.json", f.Name, f.Name)
		}
	}
}

func pathParams(routeKey string) []string {
	var out []string
	for _, seg := range strings.Split(routeKey, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.Trim(seg, "{}"))
		}
	}
	return out
}
