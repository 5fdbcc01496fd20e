package members_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/store"
	"roster/shared/testenv"
)

// TestGatewayFigures takes the figures of the member endpoints through a
// running local stack (the local gateway and the functions' own bootstrap
// processes), against an account of 10,000 members. It is opt-in, since it
// seeds a large account into that stack's table:
//
//	.build/bin/roster-local -port 3100 -dynamodb-port 8100 -ses-port 8105 &
//	ROSTER_FIGURES_GATEWAY=http://127.0.0.1:3100 ROSTER_FIGURES_DYNAMODB=http://127.0.0.1:8100 \
//	  go test -count=1 -run TestGatewayFigures -v ./shared/members/
//
// For each request it prints the Server-Timing header's ddb figures and the
// median and 90th percentile of the gateway's whole time over 20 warm
// requests (the first, cold, request of each function is left out).
func TestGatewayFigures(t *testing.T) {
	gw, ddb := os.Getenv("ROSTER_FIGURES_GATEWAY"), os.Getenv("ROSTER_FIGURES_DYNAMODB")
	if gw == "" || ddb == "" {
		t.Skip("set ROSTER_FIGURES_GATEWAY and ROSTER_FIGURES_DYNAMODB to a running roster-local")
	}
	table := os.Getenv("ROSTER_FIGURES_TABLE")
	if table == "" {
		table = "roster"
	}
	f := fixture.NewAccountOn(t, store.NewClientFromConfig(testenv.AWSConfig(ddb), true), table)
	start := time.Now()
	seedBig(t, f)
	t.Logf("seeded %d members in %v", benchMembers, time.Since(start).Round(time.Second))
	target := f.Add(t, "Tara", "Target", domain.RoleMember, "billing.view")

	base := gw + "/api/accounts/" + f.Account.ID + "/members"
	first := get(t, base, f.Owner.Cookie)
	next := regexp.MustCompile(`"next":"([^"]+)"`)
	cursor := ""
	page := first
	for range 99 { // to page 100
		m := next.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no next cursor in %.200s", page)
		}
		cursor = m[1]
		page = get(t, base+"?cursor="+cursor, f.Owner.Cookie)
	}
	version := 1
	cases := []struct {
		name   string
		method string
		url    string
		body   func() string
	}{
		{"first page (50)", "GET", base, nil},
		{"page 100 (50)", "GET", base + "?cursor=" + cursor, nil},
		{"search 'hop' (50 of ~560)", "GET", base + "?q=hop", nil},
		{"search 'jose1215' (1)", "GET", base + "?q=jose1215", nil},
		{"member read", "GET", base + "/" + target.User.ID, nil},
		{"permission save", "PATCH", base + "/" + target.User.ID, func() string {
			p := `["billing.view"]`
			if version%2 == 1 {
				p = `["billing.view","users.view"]`
			}
			b := fmt.Sprintf(`{"version":%d,"permissions":{"all":false,"granted":%s}}`, version, p)
			version++
			return b
		}},
	}
	for _, c := range cases {
		var gws []float64
		ddbDesc := ""
		for i := range 21 {
			var body io.Reader
			if c.body != nil {
				body = strings.NewReader(c.body())
			}
			req, _ := http.NewRequest(c.method, c.url, body)
			req.Header.Set("Cookie", f.Owner.Cookie)
			req.Header.Set("Origin", gw)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s: got %d %s", c.name, resp.StatusCode, b)
			}
			st := resp.Header.Get("Server-Timing")
			if i == 0 {
				continue // the cold start, if any
			}
			if m := regexp.MustCompile(`ddb;dur=[0-9.]+;desc="([^"]*)"`).FindStringSubmatch(st); m != nil {
				ddbDesc = m[1]
			}
			if m := regexp.MustCompile(`gw;dur=([0-9.]+)`).FindStringSubmatch(st); m != nil {
				var v float64
				fmt.Sscanf(m[1], "%g", &v)
				gws = append(gws, v)
			}
		}
		slices.Sort(gws)
		if len(gws) == 0 {
			t.Fatalf("%s: no Server-Timing gw figure (is ROSTER_SERVER_TIMING on?)", c.name)
		}
		t.Logf("%-28s %-52s gw p50 %6.1f ms  p90 %6.1f ms", c.name, ddbDesc, gws[len(gws)/2], gws[len(gws)*9/10])
	}
}

func get(t *testing.T, url, cookie string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
