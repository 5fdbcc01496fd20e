// Command roster-bench measures what the scale issue asks of Roster and
// prints one table (make bench): the local gateway against direct
// invocation of the same binary; each function's ready time against a
// hello-world bootstrap built the same way; items read against items
// returned by member lists, searches and history pages at 100, 1,000 and
// 10,000 members; history export time and peak memory at 10,000 and
// 200,000 events; the site's gzip size. It starts its own DynamoDB Local
// and local SES, and seeds through the store's own writers.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"roster/infra/local/devstack"
	"roster/infra/local/gateway"
	"roster/infra/local/samtemplate"
	"roster/infra/local/seed"
	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/members"
	"roster/shared/standins"
	"roster/shared/store"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// gwTiming and invokeTiming read, from Server-Timing, the gateway's whole
// time and the part of it spent in the exchange with the function.
var (
	gwTiming     = regexp.MustCompile(`gw;dur=([0-9.]+)`)
	invokeTiming = regexp.MustCompile(`invoke;dur=([0-9.]+)`)
)

type options struct {
	root     string
	requests int
	sizes    string
	events   string
}

func main() {
	var o options
	flag.IntVar(&o.requests, "requests", 300, "warm requests per figure of the gateway")
	flag.StringVar(&o.sizes, "members", "100,1000,10000", "account sizes, in members")
	flag.StringVar(&o.events, "events", "10000,200000", "history sizes for the export, in events")
	flag.Parse()
	root, err := standins.RepoRoot()
	if err != nil {
		fail(err)
	}
	o.root = root
	if err := run(context.Background(), o); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "roster-bench:", err)
	os.Exit(1)
}

// row is one line of the table.
type row struct{ area, figure, value, note string }

func run(ctx context.Context, o options) error {
	ddb, err := standins.StartDynamoDB(ctx, standins.DynamoDBOptions{RepoRoot: o.root})
	if err != nil {
		return err
	}
	defer ddb.Stop()
	ses, err := standins.StartSES(ctx, standins.SESOptions{RepoRoot: o.root})
	if err != nil {
		return err
	}
	defer ses.Stop()
	db := store.NewClientFromConfig(testenv.AWSConfig(ddb.Endpoint), true)
	const table = "roster-bench"
	if err := store.EnsureTable(ctx, db, table, store.Table); err != nil {
		return err
	}
	s := store.New(db, table)

	tpl, err := samtemplate.Load(filepath.Join(o.root, "template.yaml"))
	if err != nil {
		return err
	}
	cfg := devstack.GatewayConfig(tpl, devstack.Options{Root: o.root, DynamoDB: ddb.Endpoint, SES: ses.Endpoint,
		SiteURL: "http://localhost", Table: table, MailFrom: "roster@example.com", EventsLog: os.DevNull})
	gw, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	defer gw.Close()

	// Each step prints what it is doing and its rows as they come.
	steps := []struct {
		doing string
		rows  func() ([]row, error)
	}{
		{"gateway against direct invocation", func() ([]row, error) { return gatewayOverhead(ctx, gw, o) }},
		{"ready times", func() ([]row, error) { return readyTimes(ctx, gw, o) }},
		{"bootstraps", func() ([]row, error) { return bootstrapSizes(o) }},
		{"site", func() ([]row, error) { return siteSize(o) }},
		{"reads against returns (seeding)", func() ([]row, error) { return reads(ctx, s, o) }},
		{"export (seeding)", func() ([]row, error) { return exports(ctx, s, o) }},
	}
	var rows []row
	for _, step := range steps {
		fmt.Fprintln(os.Stderr, step.doing+"…")
		r, err := step.rows()
		if err != nil {
			return err
		}
		for _, x := range r {
			fmt.Fprintf(os.Stderr, "  %s | %s | %s\n", x.area, x.figure, x.value)
		}
		rows = append(rows, r...)
	}

	fmt.Println("| area | figure | value | note |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, x := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", x.area, x.figure, x.value, x.note)
	}
	return nil
}

// gatewayOverhead times warm requests through the gateway's HTTP listener
// and warm direct invocations (gateway.Invoke, the Runtime API alone) of
// the same function with the same event, alternating, and compares their
// medians.
func gatewayOverhead(ctx context.Context, gw *gateway.Gateway, o options) ([]row, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: gw}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	// The HTTP floor: the gateway's 404 for a path no route serves, which
	// invokes nothing.
	var floor []time.Duration
	for i := range o.requests + 20 {
		start := time.Now()
		resp, err := client.Get(base + "/api/no-such-route")
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if i >= 20 {
			floor = append(floor, time.Since(start))
		}
	}
	var out []row
	out = append(out, row{"gateway", "loopback HTTP floor (a 404, nothing invoked)", fmt.Sprintf("%.3f ms", ms(median(floor))), "the client's and server's HTTP alone"})
	for _, path := range []string{"/api/health", "/api/permissions"} {
		// The direct invocation gets the very event the gateway builds.
		fn, payload, err := gw.Event(httptest.NewRequest("GET", path, nil))
		if err != nil {
			return nil, err
		}
		var e2e, own, d []time.Duration
		// viaGateway keeps the client's time and the gateway's own: its
		// Server-Timing gw (from the request read to the answer written)
		// less invoke (the exchange with the function's process).
		viaGateway := func(keep bool) error {
			start := time.Now()
			resp, err := client.Get(base + path)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("%s: status %d", path, resp.StatusCode)
			}
			total := time.Since(start)
			st := resp.Header.Get("Server-Timing")
			whole, exchange := gwTiming.FindStringSubmatch(st), invokeTiming.FindStringSubmatch(st)
			if whole == nil || exchange == nil {
				return fmt.Errorf("%s: no gw or invoke timing in %q", path, st)
			}
			var w, x float64
			fmt.Sscan(whole[1], &w)
			fmt.Sscan(exchange[1], &x)
			if keep {
				e2e, own = append(e2e, total), append(own, time.Duration((w-x)*float64(time.Millisecond)))
			}
			return nil
		}
		direct := func(keep bool) error {
			start := time.Now()
			if _, err := gw.Invoke(ctx, fn, payload); err != nil {
				return err
			}
			if keep {
				d = append(d, time.Since(start))
			}
			return nil
		}
		// Requests run in runs of benchRun of each kind, as a server meets
		// them back to back, the kinds taking turns at going first (so
		// neither always follows the other, and both share the machine's
		// drift). The first of each run, which follows the other kind, and
		// the first two rounds, which warm up, are left out.
		runs := max(o.requests/benchRun, 1)
		for i := range runs + 2 {
			order := []func(bool) error{viaGateway, direct}
			if i%2 == 1 {
				order[0], order[1] = direct, viaGateway
			}
			for _, request := range order {
				for j := range benchRun + 1 {
					if err := request(i >= 2 && j > 0); err != nil {
						return nil, err
					}
				}
			}
		}
		md, mo, me := median(d), median(own), median(e2e)
		addE2E := me - md
		out = append(out, row{"gateway", fmt.Sprintf("%s warm, %d requests each way", path, len(d)),
			fmt.Sprintf("the gateway's own %.3f ms on %.3f ms invoked directly: %+.1f%%", ms(mo), ms(md), pct(mo, md)),
			fmt.Sprintf("as the client sees it: %.3f ms, %+.3f ms, %+.1f%%, of which the loopback HTTP floor is %.3f ms", ms(me), ms(addE2E), pct(addE2E, md), ms(median(floor)))})
	}
	return out, nil
}

// readyTimes starts one process of every function, and of a hello-world
// bootstrap built the same way, and compares the times until each asks for
// its first invocation.
func readyTimes(ctx context.Context, gw *gateway.Gateway, o options) ([]row, error) {
	dir, err := os.MkdirTemp("", "roster-bench-hello")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(helloWorld), 0o644); err != nil {
		return nil, err
	}
	helloDir := filepath.Join(o.root, ".build", "bench", "hello")
	build := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags=-s -w -buildid=", "-o", filepath.Join(helloDir, "bootstrap"), filepath.Join(dir, "main.go"))
	build.Dir, build.Env, build.Stderr = o.root, append(os.Environ(), "CGO_ENABLED=0"), os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build the hello-world bootstrap: %w", err)
	}
	tpl := &samtemplate.Template{Functions: []samtemplate.Function{{LogicalID: "Hello", CodeURI: helloDir, Timeout: 3 * time.Second, MemoryMB: 128}}}
	hello, err := gateway.New(gateway.Config{Template: tpl})
	if err != nil {
		return nil, err
	}
	defer hello.Close()
	const rounds = 5
	var helloTimes []time.Duration
	for range rounds {
		d, err := hello.Ready(ctx, "Hello")
		if err != nil {
			return nil, err
		}
		helloTimes = append(helloTimes, d)
	}
	base := median(helloTimes)
	type ready struct {
		fn string
		d  time.Duration
	}
	var all []ready
	for _, fn := range gw.Functions() {
		var ts []time.Duration
		for range rounds {
			d, err := gw.Ready(ctx, fn)
			if err != nil {
				return nil, err
			}
			ts = append(ts, d)
		}
		all = append(all, ready{fn, median(ts)})
	}
	slices.SortFunc(all, func(a, b ready) int { return int(a.d - b.d) })
	worst := all[len(all)-1]
	mid := all[len(all)/2]
	return []row{
		{"ready", "hello-world bootstrap", fmt.Sprintf("%.1f ms", ms(base)), fmt.Sprintf("median of %d starts; the same build flags", rounds)},
		{"ready", fmt.Sprintf("median of the %d functions", len(all)), fmt.Sprintf("%.1f ms (%.2f× hello-world)", ms(mid.d), float64(mid.d)/float64(base)), mid.fn},
		{"ready", "slowest function", fmt.Sprintf("%.1f ms (%.2f× hello-world)", ms(worst.d), float64(worst.d)/float64(base)), worst.fn},
	}, nil
}

const helloWorld = `package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(ctx context.Context, in map[string]any) (map[string]any, error) { return in, nil })
}
`

// bootstrapSizes reports the largest stripped linux/arm64 bootstrap.
func bootstrapSizes(o options) ([]row, error) {
	files, err := filepath.Glob(filepath.Join(o.root, ".build/functions/*/bootstrap"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no bootstraps in .build/functions: run make lambdas")
	}
	largest, name, over := int64(0), "", 0
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, err
		}
		if st.Size() > largest {
			largest, name = st.Size(), filepath.Base(filepath.Dir(f))
		}
		if st.Size() > 10_000_000 {
			over++
		}
	}
	return []row{{"bootstraps", fmt.Sprintf("largest of %d (linux/arm64, stripped)", len(files)),
		fmt.Sprintf("%.2f MB, %s; %d over 10 MB", float64(largest)/1e6, name, over), "make lambdas refuses one over 10,000,000 bytes"}}, nil
}

// siteSize sums the built site's HTML, scripts and styles, raw and
// gzip-compressed as the gateway and CloudFront serve them.
func siteSize(o options) ([]row, error) {
	var raw, zipped int
	dist := filepath.Join(o.root, "site", "dist")
	err := filepath.WalkDir(dist, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, "api-docs") {
			return err
		}
		switch filepath.Ext(path) {
		case ".html", ".js", ".css":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		_, _ = w.Write(b)
		_ = w.Close()
		raw += len(b)
		zipped += z.Len()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []row{{"site", "HTML, JS and CSS (without the API reference)", fmt.Sprintf("%.1f KB gzip (%.1f KB raw)", float64(zipped)/1000, float64(raw)/1000), "site/dist after make site"}}, nil
}

// reads seeds accounts of each size and counts the items each read reads
// against the items it returns.
func reads(ctx context.Context, s *store.Store, o options) ([]row, error) {
	cat := domain.DefaultCatalog()
	svc := members.NewService(s, cat)
	hist := history.NewService(s, cat)
	var out []row
	for _, n := range ints(o.sizes) {
		start := time.Now()
		acct, owner, err := seed.Account(ctx, s, seed.Options{Members: n, Events: n})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "  seeded %d members and %d events in %v\n", n, n, time.Since(start).Round(time.Second))
		cases := []struct {
			name string
			read func(context.Context) (int, error)
		}{
			{"list page (50)", func(c context.Context) (int, error) {
				p, err := svc.List(c, owner, acct, members.ListQuery{Limit: 50})
				return len(p.Items), err
			}},
			{`search one word "hop"`, func(c context.Context) (int, error) {
				p, err := svc.List(c, owner, acct, members.ListQuery{Q: "hop", Limit: 50})
				return len(p.Items), err
			}},
			{`search two words "grace hop"`, func(c context.Context) (int, error) {
				p, err := svc.List(c, owner, acct, members.ListQuery{Q: "grace hop", Limit: 50})
				return len(p.Items), err
			}},
			{`search email prefix "grace.hop"`, func(c context.Context) (int, error) {
				p, err := svc.List(c, owner, acct, members.ListQuery{Q: "grace.hop", Limit: 50})
				return len(p.Items), err
			}},
			{`search fragment "oppe"`, func(c context.Context) (int, error) {
				p, err := svc.List(c, owner, acct, members.ListQuery{Q: "oppe", Limit: 50})
				return len(p.Items), err
			}},
			{"history page (50)", func(c context.Context) (int, error) {
				p, err := hist.List(c, owner, acct, history.ListInput{Params: history.Params{Period: history.PeriodAll}, Limit: 50})
				return len(p.Items), err
			}},
		}
		for _, c := range cases {
			rc, rec := telemetry.WithRecorder(ctx)
			got, err := c.read(rc)
			if err != nil {
				return nil, fmt.Errorf("%s at %d: %w", c.name, n, err)
			}
			sum := rec.Summary()
			ratio := "-"
			if got > 0 {
				ratio = fmt.Sprintf("%.2f×", float64(sum.Items)/float64(got))
			}
			out = append(out, row{"reads", fmt.Sprintf("%s, %d members", c.name, n),
				fmt.Sprintf("%d read / %d returned = %s", sum.Items, got, ratio),
				fmt.Sprintf("%d calls, %g RCU", sum.Calls, sum.RCU)})
		}
	}
	return out, nil
}

// exports seeds histories of each size and exports each whole, part by
// part, as the site does, timing it and sampling the heap.
func exports(ctx context.Context, s *store.Store, o options) ([]row, error) {
	hist := history.NewService(s, domain.DefaultCatalog())
	var out []row
	for _, n := range ints(o.events) {
		start := time.Now()
		acct, owner, err := seed.Account(ctx, s, seed.Options{Events: n})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "  seeded %d events in %v\n", n, time.Since(start).Round(time.Second))
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := sampleHeap()
		start = time.Now()
		parts, events, largest, slowest := 0, 0, 0, time.Duration(0)
		cursor := ""
		for {
			t := time.Now()
			f, err := hist.Export(ctx, owner, acct, history.ExportInput{Format: history.FormatCSV, Params: history.Params{Period: history.PeriodAll}, Cursor: cursor})
			if err != nil {
				return nil, err
			}
			parts++
			events += f.Events
			largest = max(largest, len(f.Body))
			slowest = max(slowest, time.Since(t))
			if f.Next == "" {
				break
			}
			cursor = f.Next
		}
		total := time.Since(start)
		heap := peak() - base.HeapAlloc
		out = append(out, row{"export", fmt.Sprintf("CSV of %d events", n),
			fmt.Sprintf("%.1f s in %d parts; slowest part %.0f ms, largest %.2f MB; peak heap +%.1f MB", total.Seconds(), parts, ms(slowest), float64(largest)/1e6, float64(heap)/1e6),
			fmt.Sprintf("%d events exported; every part one request", events)})
	}
	return out, nil
}

// sampleHeap samples the heap every 2 ms until the returned function is
// called, which returns the highest figure.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				mu.Lock()
				peak = max(peak, m.HeapAlloc)
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

func ints(list string) []int {
	var out []int
	for _, f := range strings.Split(list, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(f), &n); err == nil && n >= 0 {
			out = append(out, n)
		}
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchRun is how many requests of one kind the gateway figures run back
// to back.
const benchRun = 10

func pct(part, whole time.Duration) float64 { return 100 * float64(part) / float64(whole) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
