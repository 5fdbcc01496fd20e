package stack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"roster/shared/deploy"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// synthesized is one synthesized stack: the assertions template and its
// CloudFormation JSON.
type synthesized struct {
	tmpl      assertions.Template
	json      map[string]any
	resources map[string]map[string]any
}

var (
	defaultOnce sync.Once
	defaultSyn  *synthesized
)

// defaultStack synthesizes the stack the way `make synth` does (no siteUrl,
// no mailFrom, the real function list), once for all tests.
func defaultStack(t *testing.T) *synthesized {
	t.Helper()
	defaultOnce.Do(func() { defaultSyn = synth(t, Props{}) })
	if defaultSyn == nil {
		t.Fatal("the default stack did not synthesize")
	}
	return defaultSyn
}

// synth synthesizes the stack with fake build outputs (a bootstrap per
// function, an index.html) and the feature flags of ../cdk.json.
func synth(t *testing.T, props Props) *synthesized {
	t.Helper()
	out, _ := synthWith(t, props, nil)
	return out
}

// synthWith is synth with a chance to add to the stack (aspects) before it
// is synthesized; it also returns the stack.
func synthWith(t *testing.T, props Props, before func(awscdk.Stack)) (*synthesized, awscdk.Stack) {
	t.Helper()
	fns := props.Functions
	if fns == nil {
		fns = deploy.Functions
	}
	tmp := t.TempDir()
	if props.CodeDir == "" {
		props.CodeDir = filepath.Join(tmp, "functions")
		for _, f := range fns {
			writeFile(t, filepath.Join(props.CodeDir, f.Name, "bootstrap"), "fake "+f.Name)
		}
	}
	if props.SiteDir == "" {
		props.SiteDir = filepath.Join(tmp, "site")
		writeFile(t, filepath.Join(props.SiteDir, "index.html"), "<!doctype html><title>Roster</title>")
	}
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	b, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cdkJSON); err != nil {
		t.Fatalf("cdk.json: %v", err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{
		Context: &cdkJSON.Context,
		Outdir:  jsii.String(filepath.Join(tmp, "cdk.out")),
	})
	s := New(app, "Roster", props)
	if before != nil {
		before(s)
	}
	tmpl := assertions.Template_FromStack(s, nil)
	out := &synthesized{tmpl: tmpl, resources: map[string]map[string]any{}}
	raw, err := json.Marshal(tmpl.ToJSON())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &out.json); err != nil {
		t.Fatal(err)
	}
	for id, r := range out.json["Resources"].(map[string]any) {
		out.resources[id] = r.(map[string]any)
	}
	return out, s
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

// ofType returns the logical ids and resources of one type.
func (s *synthesized) ofType(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.resources {
		if r["Type"] == typ {
			out[id] = r
		}
	}
	return out
}

// props returns a resource's Properties.
func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

// dig walks maps by keys and returns what it finds, or nil.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// strs turns a CloudFormation "one string or a list of strings" into a list.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// toJSON renders v for messages and comparisons.
func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// mappingOf returns the Properties of the function's event source mapping.
func mappingOf(t *testing.T, s *synthesized, logicalID string) map[string]any {
	t.Helper()
	for _, m := range s.ofType("AWS::Lambda::EventSourceMapping") {
		if toJSON(dig(m, "Properties", "FunctionName")) == `{"Ref":"`+logicalID+`"}` {
			return props(m)
		}
	}
	t.Fatalf("got no event source mapping for %s", logicalID)
	return nil
}
