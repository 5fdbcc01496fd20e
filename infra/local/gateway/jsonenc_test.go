package gateway

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// stringCases are strings whose JSON encoding has each kind of escape.
var stringCases = []string{
	"", "plain", `quote " and \ backslash`, "new\nline\r\ttab\b\f", "\x00\x01\x1f\x7f",
	"<script>&amp;</script>", "héllo wörld ✓ 🎉", "bad \xff utf-8 \xc3", "line\u2028sep\u2029para",
	"\ufffd already", "end with backslash \\",
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range stringCases {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q): got %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q): got %s, want %s", s, got, want)
		}
	})
}

func TestAppendEventMatchesEncodingJSON(t *testing.T) {
	full := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /api/x/{id}", RawPath: "/api/x/a%20b", RawQueryString: "q=%3C1%3E&q=2",
		Cookies:               []string{"session=abc", `odd="quoted"`},
		Headers:               map[string]string{"content-type": "application/json", "x-evil": "a\"b\\c\n<>&"},
		QueryStringParameters: map[string]string{"q": "<1>,2"},
		PathParameters:        map[string]string{"id": "a b"},
		StageVariables:        map[string]string{"v": "1"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "POST /api/x/{id}", AccountID: "local", Stage: "$default", RequestID: "r-1", APIID: "local",
			DomainName: "localhost:3000", DomainPrefix: "localhost:3000", Time: "02/Dec/2026:10:00:00 +0000", TimeEpoch: 1796205600000,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/api/x/a b", Protocol: "HTTP/1.1", SourceIP: "127.0.0.1", UserAgent: "ua \"quoted\""},
		},
		Body: `{"name":"Ada \u2028 \ud83c","x":"</script>"}`, IsBase64Encoded: false,
	}
	bare := events.APIGatewayV2HTTPRequest{Version: "2.0", Headers: map[string]string{}, IsBase64Encoded: true, Body: "AAEC"}
	for name, ev := range map[string]events.APIGatewayV2HTTPRequest{"every field": full, "bare": bare} {
		t.Run(name, func(t *testing.T) {
			var got, want map[string]any
			if err := json.Unmarshal(appendEvent(nil, &ev), &got); err != nil {
				t.Fatalf("appendEvent wrote invalid JSON: %v", err)
			}
			std, _ := json.Marshal(ev)
			if err := json.Unmarshal(std, &want); err != nil {
				t.Fatal(err)
			}
			// encoding/json writes the empty mutual-TLS description; API
			// Gateway sends it only with mutual TLS, and no function reads it.
			delete(want["requestContext"].(map[string]any), "authentication")
			if !reflect.DeepEqual(got, want) {
				t.Errorf("appendEvent:\n got %v\nwant %v", got, want)
			}
			var back events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(appendEvent(nil, &ev), &back); err != nil || !reflect.DeepEqual(back, ev) {
				t.Errorf("decoded event: got %+v (%v), want %+v", back, err, ev)
			}
		})
	}
}
