package stack

import (
	"strings"
	"testing"
)

func TestFunctionsAreValid(t *testing.T) {
	if err := validateFunctions(Functions); err != nil {
		t.Errorf("got %v, want the function list to be valid", err)
	}
}

func TestValidateFunctions(t *testing.T) {
	ok := Function{LogicalID: "AFunction", Dir: "a", Routes: []Route{{"GET", "/api/a"}}, TableActions: []string{"dynamodb:GetItem"}}
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
		{"valid stream function without routes", with(func(f *Function) { f.Routes = nil; f.Stream = true }), ""},
		{"no logical id", with(func(f *Function) { f.LogicalID = "" }), "needs a logical id"},
		{"no directory", with(func(f *Function) { f.Dir = "" }), "needs a logical id and a directory"},
		{"repeated id", []Function{ok, {LogicalID: "AFunction", Dir: "b"}}, "AFunction is used twice"},
		{"repeated dir", []Function{ok, {LogicalID: "BFunction", Dir: "a"}}, "directory a is used twice"},
		{"repeated route", []Function{ok, {LogicalID: "BFunction", Dir: "b", Routes: []Route{{"GET", "/api/a"}}}}, "served by both AFunction and BFunction"},
		{"lower-case method", with(func(f *Function) { f.Routes = []Route{{"get", "/api/a"}} }), "upper-case method"},
		{"path outside /api", with(func(f *Function) { f.Routes = []Route{{"GET", "/a"}} }), "under /api/"},
		{"scan", with(func(f *Function) { f.TableActions = []string{"dynamodb:Scan"} }), `"dynamodb:Scan" is not allowed`},
		{"wildcard", with(func(f *Function) { f.TableActions = []string{"dynamodb:*"} }), "is not allowed"},
		{"transaction action", with(func(f *Function) { f.TableActions = []string{"dynamodb:TransactWriteItems"} }), "is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateFunctions(tt.fns)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
