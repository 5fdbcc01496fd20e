package invite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/store"
	"roster/shared/testenv"
)

// timing is one answer's Server-Timing, as the local gateway reports it.
type timing struct {
	desc         string
	ddb, app, gw float64
	cold         bool
}

var (
	ddbRe = regexp.MustCompile(`ddb;dur=([0-9.]+);desc="([^"]*)"`)
	appRe = regexp.MustCompile(`app;dur=([0-9.]+)`)
	gwRe  = regexp.MustCompile(`gw;dur=([0-9.]+)`)
)

func parseTiming(h string) timing {
	var t timing
	if m := ddbRe.FindStringSubmatch(h); m != nil {
		t.ddb, _ = strconv.ParseFloat(m[1], 64)
		t.desc = m[2]
	}
	if m := appRe.FindStringSubmatch(h); m != nil {
		t.app, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := gwRe.FindStringSubmatch(h); m != nil {
		t.gw, _ = strconv.ParseFloat(m[1], 64)
	}
	t.cold = strings.Contains(h, "cold start")
	return t
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	return xs[len(xs)/2]
}

// TestGatewayCost measures each invitation endpoint through a running
// local gateway (make dev, or roster-local on other ports): the DynamoDB
// calls and capacity the function reports in Server-Timing, and the warm
// latency (median of the function's own time and of the gateway's whole
// time). It is skipped unless ROSTER_GATEWAY_URL, ROSTER_GATEWAY_DYNAMODB
// and ROSTER_SES_ENDPOINT name the running stack, for example:
//
//	ROSTER_GATEWAY_URL=http://localhost:3000 ROSTER_GATEWAY_DYNAMODB=http://127.0.0.1:8000 \
//	ROSTER_SES_ENDPOINT=http://127.0.0.1:8005 go test -run TestGatewayCost -v ./shared/invite/
func TestGatewayCost(t *testing.T) {
	site, ddb := os.Getenv("ROSTER_GATEWAY_URL"), os.Getenv("ROSTER_GATEWAY_DYNAMODB")
	if site == "" || ddb == "" || os.Getenv(testenv.EnvSES) == "" {
		t.Skip("set ROSTER_GATEWAY_URL, ROSTER_GATEWAY_DYNAMODB and ROSTER_SES_ENDPOINT to measure through a running gateway")
	}
	table := os.Getenv("ROSTER_GATEWAY_TABLE")
	if table == "" {
		table = "roster"
	}
	db := store.NewClientFromConfig(testenv.AWSConfig(ddb), true)
	e := fixture.NewOn(db, table)
	a, _, cookie := e.Account(t)
	const n = 20

	call := func(method, path, body, cookie string) (int, string, timing) {
		t.Helper()
		req, _ := http.NewRequest(method, site+path, strings.NewReader(body))
		req.Header.Set("Origin", site)
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), parseTiming(resp.Header.Get("Server-Timing"))
	}
	// Each phase uses an account of its own: the hourly cap (50) counts per account.
	invite := func(a domain.Account, cookie, email string) (string, string) {
		t.Helper()
		status, body, _ := call("POST", "/api/accounts/"+a.ID+"/invitations",
			`{"email":"`+email+`","role":"member","permissions":{"all":false,"granted":["billing.view"]}}`, cookie)
		if status != 201 {
			t.Fatalf("invite: got %d %s", status, body)
		}
		var v struct{ ID string }
		_ = json.Unmarshal([]byte(body), &v)
		toks := fixture.AwaitTokens(t, email, 1)
		if len(toks) == 0 {
			t.Fatalf("no mail to %s", email)
		}
		return v.ID, toks[len(toks)-1]
	}
	type row struct {
		name string
		ts   []timing
	}
	var rows []row
	measure := func(name string, f func(i int) (int, string, timing), want int) {
		var ts []timing
		for i := 0; i < n; i++ {
			status, body, tm := f(i)
			if status != want {
				t.Fatalf("%s %d: got %d %s, want %d", name, i, status, body, want)
			}
			ts = append(ts, tm)
		}
		rows = append(rows, row{name, ts})
	}

	measure("create", func(i int) (int, string, timing) {
		return call("POST", "/api/accounts/"+a.ID+"/invitations",
			`{"email":"`+testenv.UniqueEmail(t)+`","role":"member","permissions":{"all":false,"granted":["billing.view"]}}`, cookie)
	}, 201)

	big, bigOwner, bigCookie := e.Account(t)
	proto := domain.Invitation{AccountID: big.ID, AccountName: big.Name, Email: "seed@example.com", Role: domain.RoleMember,
		Permissions: domain.PermissionSet{Granted: []string{"billing.view"}}, InviterID: bigOwner.ID, InviterName: "Ada Lovelace",
		InviterEmail: bigOwner.Email, CreatedAt: time.Now().UTC(), ExpiresAt: time.Now().Add(time.Hour), State: domain.InvitePending, Delivery: domain.DeliverySent}
	if err := e.Store.SeedInvitations(context.Background(), proto, 10000); err != nil {
		t.Fatal(err)
	}
	cursor := ""
	measure("list (page of 50 of 10,000)", func(i int) (int, string, timing) {
		q := ""
		if cursor != "" {
			q = "?cursor=" + cursor
		}
		status, body, tm := call("GET", "/api/accounts/"+big.ID+"/invitations"+q, "", bigCookie)
		var p struct{ Next string }
		_ = json.Unmarshal([]byte(body), &p)
		cursor = p.Next
		return status, body, tm
	}, 200)

	// Resend waits out the minimum interval, so each resend is of another invitation.
	var resendIDs, revokeIDs []string
	ra, _, rc := e.Account(t)
	va, _, vc := e.Account(t)
	pa, _, pc := e.Account(t)
	for i := 0; i < n; i++ {
		id, _ := invite(ra, rc, testenv.UniqueEmail(t))
		resendIDs = append(resendIDs, id)
		id, _ = invite(va, vc, testenv.UniqueEmail(t))
		revokeIDs = append(revokeIDs, id)
	}
	time.Sleep(61 * time.Second)
	measure("resend", func(i int) (int, string, timing) {
		return call("POST", "/api/accounts/"+ra.ID+"/invitations/"+resendIDs[i]+"/resend", "", rc)
	}, 200)
	measure("revoke", func(i int) (int, string, timing) {
		return call("DELETE", "/api/accounts/"+va.ID+"/invitations/"+revokeIDs[i], "", vc)
	}, 204)
	_, previewToken := invite(pa, pc, testenv.UniqueEmail(t))
	measure("preview", func(i int) (int, string, timing) {
		return call("POST", "/api/invitations/preview", `{"token":"`+previewToken+`"}`, "")
	}, 200)
	type invitee struct{ cookie, token string }
	var invitees []invitee
	for i := 0; i < n; i++ {
		u, c := e.SignedUser(t, true)
		_, tok := invite(pa, pc, u.Email)
		invitees = append(invitees, invitee{c, tok})
	}
	measure("accept", func(i int) (int, string, timing) {
		return call("POST", "/api/invitations/accept", `{"token":"`+invitees[i].token+`"}`, invitees[i].cookie)
	}, 200)

	var out strings.Builder
	fmt.Fprintf(&out, "\n| endpoint | DynamoDB per request (warm) | ddb ms | function ms | gateway ms | cold start seen |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		var ddbs, apps, gws []float64
		desc, cold := "", false
		for _, tm := range r.ts {
			if tm.cold {
				cold = true
				continue
			}
			ddbs, apps, gws, desc = append(ddbs, tm.ddb), append(apps, tm.app), append(gws, tm.gw), tm.desc
		}
		fmt.Fprintf(&out, "| %s | %s | %.1f | %.1f | %.1f | %v |\n", r.name, desc, median(ddbs), median(apps), median(gws), cold)
	}
	t.Log(out.String())
}
