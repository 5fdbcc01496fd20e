package samtemplate

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// moduleRoot walks up from the working directory to the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func TestLoadRealTemplate(t *testing.T) {
	tpl, err := Load(filepath.Join(moduleRoot(t), "template.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := tpl.Parameters["SiteUrl"].Default, "http://localhost:3000"; got != want {
		t.Errorf("SiteUrl default: got %q, want %q", got, want)
	}
	if len(tpl.Functions) == 0 {
		t.Fatal("got no functions, want at least one")
	}
	seen := map[string]string{}
	for i, f := range tpl.Functions {
		if i > 0 && tpl.Functions[i-1].LogicalID >= f.LogicalID {
			t.Errorf("functions not sorted: %s before %s", tpl.Functions[i-1].LogicalID, f.LogicalID)
		}
		if !strings.HasPrefix(f.CodeURI, ".build/functions/") {
			t.Errorf("%s CodeURI: got %q, want it under .build/functions/", f.LogicalID, f.CodeURI)
		}
		if f.Handler != "bootstrap" {
			t.Errorf("%s Handler: got %q, want %q", f.LogicalID, f.Handler, "bootstrap")
		}
		if got, want := f.Env["TABLE_NAME"], (Value{Ref: "Table"}); got != want {
			t.Errorf("%s TABLE_NAME: got %v, want %v", f.LogicalID, got, want)
		}
		for _, r := range f.Routes {
			if other, dup := seen[r.String()]; dup {
				t.Errorf("route %s in both %s and %s", r, other, f.LogicalID)
			}
			seen[r.String()] = f.LogicalID
		}
	}
	health, ok := tpl.Function("HealthFunction")
	if !ok {
		t.Fatal("HealthFunction not found")
	}
	if got, want := health.Routes, []Route{{Method: "GET", Path: "/api/health"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("HealthFunction routes: got %v, want %v", got, want)
	}
	if got, want := health.Timeout, 5*time.Second; got != want {
		t.Errorf("HealthFunction timeout: got %v, want %v", got, want)
	}
	if got, want := health.MemoryMB, 256; got != want {
		t.Errorf("HealthFunction memory: got %v, want %v", got, want)
	}
}

const inline = `
Parameters:
  SiteUrl: {Type: String, Default: "http://localhost:3000"}
  Port: {Type: Number, Default: 8080}
Globals:
  Function:
    Timeout: 10
    Handler: bootstrap
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        SITE_URL: {"Ref": "SiteUrl"}
        OVERRIDDEN: global
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  B:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .build/functions/b
      MemorySize: 512
      Timeout: 2
      Environment:
        Variables:
          OVERRIDDEN: own
          ARN: !GetAtt Table.Arn
          ARN2: {"Fn::GetAtt": ["Table", "StreamArn"]}
          LINK: !Sub "${SiteUrl}/accept"
          PLAIN: 42
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Table}
        - AWSLambdaBasicExecutionRole
        - Statement:
            Effect: Allow
            Action: ses:SendEmail
            Resource: ["*", !Sub "arn:aws:ses:${AWS::Region}:x"]
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: LATEST
            BatchSize: 10
        Put:
          Type: HttpApi
          Properties: {Path: "/api/x/{id}", Method: put}
        Any:
          Type: Api
          Properties: {Path: "/api/{proxy+}", Method: any}
  A:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .build/functions/a
      Events:
        Default:
          Type: HttpApi
`

func TestParseInline(t *testing.T) {
	tpl, err := Parse([]byte(inline))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := tpl.Parameters["Port"].Default, "8080"; got != want {
		t.Errorf("Port default: got %q, want %q", got, want)
	}
	if len(tpl.Functions) != 2 {
		t.Fatalf("got %d functions, want 2", len(tpl.Functions))
	}
	a, b := tpl.Functions[0], tpl.Functions[1]
	if a.LogicalID != "A" || b.LogicalID != "B" {
		t.Fatalf("order: got %s, %s, want A, B", a.LogicalID, b.LogicalID)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"A timeout from globals", a.Timeout, 10 * time.Second},
		{"A memory default", a.MemoryMB, 128},
		{"A default route", a.Routes, []Route{{Method: "ANY", Path: "$default"}}},
		{"B timeout", b.Timeout, 2 * time.Second},
		{"B memory", b.MemoryMB, 512},
		{"B handler from globals", b.Handler, "bootstrap"},
		{"B env", b.Env, map[string]Value{
			"TABLE_NAME": {Ref: "Table"},
			"SITE_URL":   {Ref: "SiteUrl"},
			"OVERRIDDEN": {Literal: "own"},
			"ARN":        {GetAtt: "Table.Arn"},
			"ARN2":       {GetAtt: "Table.StreamArn"},
			"LINK":       {Sub: "${SiteUrl}/accept"},
			"PLAIN":      {Literal: "42"},
		}},
		{"B routes", b.Routes, []Route{{Method: "PUT", Path: "/api/x/{id}"}, {Method: "ANY", Path: "/api/{proxy+}"}}},
		{"B event names", []string{b.Events[0].Name, b.Events[1].Name, b.Events[2].Name}, []string{"Any", "Put", "Stream"}},
		{"B stream event", b.Events[2], Event{Name: "Stream", Type: "DynamoDB", Properties: map[string]any{
			"Stream": Value{GetAtt: "Table.StreamArn"}, "StartingPosition": "LATEST", "BatchSize": "10"}}},
	}
	for _, tc := range tests {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"bad YAML", "Resources: [unclosed", "invalid YAML"},
		{"not a mapping", "- a\n- b\n", "not a YAML mapping"},
		{"no resources", "Parameters: {}\n", "no Resources"},
		{"missing CodeUri", "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: bootstrap}\n", "function F: missing CodeUri"},
		{"bad timeout", "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: x, Timeout: soon}\n", "Timeout"},
		{"route without method", "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: x\n      Events: {E: {Type: HttpApi, Properties: {Path: /a}}}\n", "Path and Method"},
		{"unsupported intrinsic", "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: x\n      Environment: {Variables: {A: !Join [\"\", [a]]}}\n", "unsupported tag !Join"},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Errorf("Load of a missing file: got nil error, want one")
	}
}

func TestResolve(t *testing.T) {
	params := map[string]Parameter{"SiteUrl": {Default: "http://localhost:3000"}, "MailFrom": {Default: "a@example.com"}}
	refs := map[string]string{"Table": "roster-local", "Table.Arn": "arn:table", "MailFrom": "b@example.com", "AWS::Region": "us-east-1"}
	tests := []struct {
		v       Value
		want    string
		wantErr string
	}{
		{Value{Literal: "x"}, "x", ""},
		{Value{}, "", ""},
		{Value{Ref: "Table"}, "roster-local", ""},
		{Value{Ref: "SiteUrl"}, "http://localhost:3000", ""},
		{Value{Ref: "MailFrom"}, "b@example.com", ""},
		{Value{Ref: "Queue"}, "", "!Ref Queue"},
		{Value{GetAtt: "Table.Arn"}, "arn:table", ""},
		{Value{GetAtt: "Table.StreamArn"}, "", "!GetAtt Table.StreamArn"},
		{Value{Sub: "${SiteUrl}/a/${Table}/${!Literal}/${AWS::Region}"}, "http://localhost:3000/a/roster-local/${Literal}/us-east-1", ""},
		{Value{Sub: "${Table.Arn}/index"}, "arn:table/index", ""},
		{Value{Sub: "${Nope}"}, "", "${Nope}"},
		{Value{Sub: "${Open"}, "", "unterminated"},
	}
	for _, tc := range tests {
		got, err := tc.v.Resolve(refs, params)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v: got error %v, want one containing %q", tc.v, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%v: got %q (%v), want %q", tc.v, got, err, tc.want)
		}
	}
}
