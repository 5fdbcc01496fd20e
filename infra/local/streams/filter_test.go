package streams

import (
	"strings"
	"testing"
)

// templatePattern is StreamExpiredFunction's pattern in template.yaml.
const templatePattern = `{"eventName":["REMOVE"],"userIdentity":{"type":["Service"],"principalId":["dynamodb.amazonaws.com"]},"dynamodb":{"OldImage":{"type":{"S":["invitationExpiry"]}}}}`

func TestFilterMatch(t *testing.T) {
	ttl := `"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"}`
	pending := `"dynamodb":{"Keys":{"PK":{"S":"A"}},"OldImage":{"type":{"S":"invitationExpiry"},"inviteId":{"S":"i1"},"n":{"N":"5"}}}`
	tests := []struct {
		name, pattern, record string
		want                  bool
	}{
		{"ttl removal of an invitation expiry marker", templatePattern, `{"eventName":"REMOVE",` + ttl + `,` + pending + `}`, true},
		{"ordinary removal", templatePattern, `{"eventName":"REMOVE",` + pending + `}`, false},
		{"removal by a user", templatePattern, `{"eventName":"REMOVE","userIdentity":{"type":"User","principalId":"x"},` + pending + `}`, false},
		{"insert", templatePattern, `{"eventName":"INSERT",` + ttl + `,` + pending + `}`, false},
		{"the invitation item itself", templatePattern, `{"eventName":"REMOVE",` + ttl + `,"dynamodb":{"OldImage":{"type":{"S":"invitation"},"state":{"S":"pending"}}}}`, false},
		{"other item type", templatePattern, `{"eventName":"REMOVE",` + ttl + `,"dynamodb":{"OldImage":{"type":{"S":"session"},"state":{"S":"pending"}}}}`, false},
		{"field is an object, pattern wants a value", `{"dynamodb":["x"]}`, `{"dynamodb":{"a":1}}`, false},
		{"one of several values", `{"eventName":["INSERT","MODIFY"]}`, `{"eventName":"MODIFY"}`, true},
		{"number compared as a number", `{"n":[5]}`, `{"n":5.0}`, true},
		{"number is not its string", `{"n":[5]}`, `{"n":"5"}`, false},
		{"boolean and null", `{"b":[true],"z":[null]}`, `{"b":true,"z":null}`, true},
		{"array field: any element", `{"tags":["b"]}`, `{"tags":["a","b"]}`, true},
		{"array field: no element", `{"tags":["c"]}`, `{"tags":["a","b"]}`, false},
		{"missing field", `{"eventName":["REMOVE"]}`, `{}`, false},
		{"case matters", `{"eventName":["remove"]}`, `{"eventName":"REMOVE"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFilter(tc.pattern)
			if err != nil {
				t.Fatalf("ParseFilter: %v", err)
			}
			if got := f.Match([]byte(tc.record)); got != tc.want {
				t.Errorf("Match(%s): got %v, want %v", tc.record, got, tc.want)
			}
		})
	}
}

func TestFiltersAnyOf(t *testing.T) {
	a, _ := ParseFilter(`{"eventName":["INSERT"]}`)
	b, _ := ParseFilter(`{"eventName":["REMOVE"]}`)
	tests := []struct {
		filters Filters
		record  string
		want    bool
	}{
		{nil, `{"eventName":"MODIFY"}`, true},
		{Filters{a, b}, `{"eventName":"REMOVE"}`, true},
		{Filters{a, b}, `{"eventName":"MODIFY"}`, false},
	}
	for _, tc := range tests {
		if got := tc.filters.Match([]byte(tc.record)); got != tc.want {
			t.Errorf("%v.Match(%s): got %v, want %v", tc.filters, tc.record, got, tc.want)
		}
	}
}

func TestParseFilterRefuses(t *testing.T) {
	tests := []struct{ pattern, wantErr string }{
		{`{"eventName":[{"prefix":"RE"}]}`, "not supported locally"},
		{`{"eventName":"REMOVE"}`, "must be an object or a list"},
		{`{"eventName":[]}`, "empty list"},
		{`[1]`, "cannot unmarshal"},
		{`null`, "not a JSON object"},
		{`{`, "unexpected EOF"},
	}
	for _, tc := range tests {
		_, err := ParseFilter(tc.pattern)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseFilter(%s): got %v, want an error containing %q", tc.pattern, err, tc.wantErr)
		}
	}
}
