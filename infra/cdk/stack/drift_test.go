package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"roster/infra/local/samtemplate"
)

// templatePath is the repository's SAM template, from this package's directory.
const templatePath = "../../../template.yaml"

// fnModel is what must agree between template.yaml and the CDK stack for one
// function.
type fnModel struct {
	Code    string   // the code's path from the repository's root
	Routes  []string // "GET /api/health", sorted
	Env     []string // environment variable names, sorted
	Actions []string // allowed actions besides logs and stream reading, sorted
	Stream  bool     // fed by the table's stream
	SNS     bool     // fed by an SNS topic (SES's email events)
	Timeout float64  // seconds
	Memory  float64  // MB
}

// samModel reads template.yaml's functions. Stream-reading actions are left
// out: SAM adds them for a DynamoDB event by itself.
func samModel(t *testing.T, tmpl *samtemplate.Template) map[string]fnModel {
	t.Helper()
	out := map[string]fnModel{}
	for _, f := range tmpl.Functions {
		m := fnModel{Code: strings.TrimPrefix(strings.TrimSuffix(f.CodeURI, "/"), "./"), Timeout: f.Timeout.Seconds(), Memory: float64(f.MemoryMB)}
		for _, r := range f.Routes {
			m.Routes = append(m.Routes, r.String())
		}
		for name := range f.Env {
			m.Env = append(m.Env, name)
		}
		for _, st := range f.Policies {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range st.Actions {
				if !isStreamAction(a) && !strings.HasPrefix(a, "logs:") {
					m.Actions = append(m.Actions, a)
				}
			}
		}
		// Managed policies or SAM policy templates would grant more than
		// the CDK stack's exact statements.
		for _, p := range f.PolicyTemplates {
			m.Actions = append(m.Actions, "policy template "+p)
		}
		for _, ev := range f.Events {
			if ev.Type == "DynamoDB" {
				m.Stream = true
			}
			if ev.Type == "SNS" {
				m.SNS = true
			}
		}
		out[f.LogicalID] = m.normalized()
	}
	return out
}

// cdkModel reads the synthesized stack's functions (Roster's own: those with
// a role named <id>Role, which the site deployment's function has not); fns
// is the list the stack was made from, for the functions' code directories.
func cdkModel(t *testing.T, s *synthesized, fns []Function) map[string]fnModel {
	t.Helper()
	out := map[string]fnModel{}
	routes := map[string][]string{}
	for _, r := range s.ofType("AWS::ApiGatewayV2::Route") {
		target := toJSON(dig(r, "Properties", "Target"))
		for iid, ir := range s.ofType("AWS::ApiGatewayV2::Integration") {
			if strings.Contains(target, `"`+iid+`"`) {
				if fn, _ := dig(ir, "Properties", "IntegrationUri", "Fn::GetAtt").([]any); len(fn) == 2 {
					routes[fn[0].(string)] = append(routes[fn[0].(string)], dig(r, "Properties", "RouteKey").(string))
				}
			}
		}
	}
	streams := map[string]bool{}
	for _, m := range s.ofType("AWS::Lambda::EventSourceMapping") {
		if ref, ok := dig(m, "Properties", "FunctionName", "Ref").(string); ok {
			streams[ref] = true
		}
	}
	sns := map[string]bool{}
	for _, sub := range s.ofType("AWS::SNS::Subscription") {
		if fn, _ := dig(sub, "Properties", "Endpoint", "Fn::GetAtt").([]any); len(fn) == 2 && dig(sub, "Properties", "Protocol") == "lambda" {
			sns[fn[0].(string)] = true
		}
	}
	for id, r := range s.ofType("AWS::Lambda::Function") {
		if _, ok := s.resources[id+"Role"]; !ok {
			continue
		}
		p := props(r)
		m := fnModel{Routes: routes[id], Env: sortedKeys(dig(p, "Environment", "Variables")), Stream: streams[id], SNS: sns[id]}
		for _, f := range fns {
			if f.LogicalID == id {
				m.Code = ".build/functions/" + f.Dir
			}
		}
		m.Timeout, _ = p["Timeout"].(float64)
		m.Memory, _ = p["MemorySize"].(float64)
		actions, _ := roleActions(t, s, id)
		for _, a := range actions {
			if !isStreamAction(a) {
				m.Actions = append(m.Actions, a)
			}
		}
		out[id] = m.normalized()
	}
	return out
}

func isStreamAction(a string) bool {
	for _, s := range append(streamActions, "dynamodb:ListStreams") {
		if a == s {
			return true
		}
	}
	return false
}

// normalized sorts and deduplicates the lists, so that order never counts.
func (m fnModel) normalized() fnModel {
	norm := func(in []string) []string {
		sort.Strings(in)
		var out []string
		for i, s := range in {
			if i == 0 || s != in[i-1] {
				out = append(out, s)
			}
		}
		return out
	}
	m.Routes, m.Env, m.Actions = norm(m.Routes), norm(m.Env), norm(m.Actions)
	return m
}

// drift lists the differences between the two models, one line each.
func drift(sam, cdk map[string]fnModel) []string {
	var out []string
	ids := map[string]bool{}
	for id := range sam {
		ids[id] = true
	}
	for id := range cdk {
		ids[id] = true
	}
	var sorted []string
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	for _, id := range sorted {
		s, inSAM := sam[id]
		c, inCDK := cdk[id]
		switch {
		case !inCDK:
			out = append(out, id+": in template.yaml only")
			continue
		case !inSAM:
			out = append(out, id+": in the CDK stack only")
			continue
		}
		fields := []struct {
			name     string
			sam, cdk any
		}{
			{"code", s.Code, c.Code},
			{"routes", s.Routes, c.Routes},
			{"environment", s.Env, c.Env},
			{"actions", s.Actions, c.Actions},
			{"stream", s.Stream, c.Stream},
			{"sns", s.SNS, c.SNS},
			{"timeout", s.Timeout, c.Timeout},
			{"memory", s.Memory, c.Memory},
		}
		for _, f := range fields {
			if !reflect.DeepEqual(f.sam, f.cdk) {
				out = append(out, fmt.Sprintf("%s: %s: template.yaml has %v, the CDK stack has %v", id, f.name, f.sam, f.cdk))
			}
		}
	}
	return out
}

func TestTemplateMatchesCDKStack(t *testing.T) {
	tmpl, err := samtemplate.Load(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	if got := drift(samModel(t, tmpl), cdkModel(t, defaultStack(t), Functions)); len(got) != 0 {
		t.Errorf("got drift between template.yaml and the CDK stack:\n  %s\nwant none: change both, or stack/functions.go and template.yaml together", strings.Join(got, "\n  "))
	}
}

// TestDriftIsDetected alters a copy of template.yaml, or the CDK function
// list, in one way each and checks that the drift test would fail.
func TestDriftIsDetected(t *testing.T) {
	orig, err := os.ReadFile(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	cdk := cdkModel(t, defaultStack(t), Functions)
	base, err := samtemplate.Load(templatePath)
	if err != nil {
		t.Fatal(err)
	}
	baseline := drift(samModel(t, base), cdk)

	const extraFunction = `
  ExtraFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .build/functions/extra
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /api/extra
            Method: GET
`
	samTests := []struct {
		name   string
		alter  func(t *testing.T, text string) string
		wantIn string // a fragment of the expected drift line
	}{
		{"function only in template.yaml", func(t *testing.T, s string) string {
			return insertAfter(t, s, "", "\nResources:\n", extraFunction)
		}, "ExtraFunction: in template.yaml only"},
		{"route only in template.yaml", func(t *testing.T, s string) string {
			return insertAfter(t, s, "CodeUri: .build/functions/health\n", "      Events:\n",
				"        Extra:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref HttpApi\n            Path: /api/health/extra\n            Method: POST\n")
		}, "HealthFunction: routes"},
		{"environment variable only in template.yaml", func(t *testing.T, s string) string {
			return insertAfter(t, s, "", "CodeUri: .build/functions/permissions\n",
				"      Environment:\n        Variables:\n          EXTRA_SETTING: x\n")
		}, "PermissionsFunction: environment"},
		{"global environment variable only in template.yaml", func(t *testing.T, s string) string {
			return insertAfter(t, s, "Globals:", "      Variables:\n", "        EXTRA_SETTING: x\n")
		}, "HealthFunction: environment"},
		{"action only in template.yaml", func(t *testing.T, s string) string {
			return insertAfter(t, s, "CodeUri: .build/functions/health\n", "                - dynamodb:GetItem\n", "                - dynamodb:PutItem\n")
		}, "HealthFunction: actions"},
		{"code directory", func(t *testing.T, s string) string {
			return strings.Replace(s, "CodeUri: .build/functions/health\n", "CodeUri: .build/functions/health2\n", 1)
		}, "HealthFunction: code"},
		{"SAM policy template in template.yaml", func(t *testing.T, s string) string {
			return insertAfter(t, s, "", "CodeUri: .build/functions/permissions\n",
				"      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Table\n")
		}, "policy template DynamoDBCrudPolicy"},
	}
	for _, tt := range samTests {
		t.Run(tt.name, func(t *testing.T) {
			if containsFragment(baseline, tt.wantIn) {
				t.Fatalf("the unaltered template already drifts: %q", baseline)
			}
			path := filepath.Join(t.TempDir(), "template.yaml")
			if err := os.WriteFile(path, []byte(tt.alter(t, string(orig))), 0o644); err != nil {
				t.Fatal(err)
			}
			tmpl, err := samtemplate.Load(path)
			if err != nil {
				t.Fatalf("the altered template does not parse: %v", err)
			}
			got := drift(samModel(t, tmpl), cdk)
			if !containsFragment(got, tt.wantIn) {
				t.Errorf("got drift %q, want a line containing %q", got, tt.wantIn)
			}
		})
	}

	t.Run("changes only in the CDK stack", func(t *testing.T) {
		fns := append([]Function(nil), Functions...)
		for i := range fns {
			switch fns[i].LogicalID {
			case "HealthFunction":
				fns[i].Env = map[string]string{"EXTRA_SETTING": "x"}
			case "PermissionsFunction":
				fns[i].Routes = append(append([]Route(nil), fns[i].Routes...), Route{"POST", "/api/permissions"})
				fns[i].TableActions = []string{"dynamodb:GetItem"}
			}
		}
		fns = append(fns, Function{LogicalID: "ExtraFunction", Dir: "extra", Routes: []Route{{"GET", "/api/extra"}}})
		tmpl, err := samtemplate.Load(templatePath)
		if err != nil {
			t.Fatal(err)
		}
		got := drift(samModel(t, tmpl), cdkModel(t, synth(t, Props{Functions: fns}), fns))
		for _, want := range []string{
			"ExtraFunction: in the CDK stack only",
			"HealthFunction: environment",
			"PermissionsFunction: routes",
			"PermissionsFunction: actions",
		} {
			if !containsFragment(got, want) {
				t.Errorf("got drift %q, want a line containing %q", got, want)
			}
		}
	})
}

// insertAfter inserts text right after the first anchor that follows the
// first occurrence of after ("" for the start). The test fails when either
// is missing, so that a changed template.yaml shows up here.
func insertAfter(t *testing.T, s, after, anchor, text string) string {
	t.Helper()
	start := strings.Index(s, after)
	if start < 0 {
		t.Fatalf("template.yaml has no %q to alter", after)
	}
	i := strings.Index(s[start:], anchor)
	if i < 0 {
		t.Fatalf("template.yaml has no %q after %q to alter", anchor, after)
	}
	at := start + i + len(anchor)
	return s[:at] + text + s[at:]
}

func containsFragment(lines []string, fragment string) bool {
	for _, l := range lines {
		if strings.Contains(l, fragment) {
			return true
		}
	}
	return false
}
