// Command roster-local runs Roster on this machine without Docker: DynamoDB
// Local and the local SES v2 as stand-ins for AWS, the table created from the
// one shared definition, and the local gateway serving the built site and
// /api/* from template.yaml's routes. `make dev` runs it; Ctrl-C stops every
// process it started.
//
// It also runs what AWS does with the table's stream (package streams): a
// poller per template function with a DynamoDB event on the table's stream,
// invoking it through the gateway with Lambda-shaped batches, and a TTL
// emulator that deletes expired items (DynamoDB Local never does), within
// about -ttl-interval of their expiry rather than AWS's hours to days.
// -no-streams turns both off.
//
// With -standins-only it starts just DynamoDB Local and the local SES and
// writes their endpoints to -env-file, for `make test`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"roster/infra/local/devstack"
	"roster/infra/local/gateway"
	"roster/infra/local/samtemplate"
	"roster/infra/local/streams"
	"roster/shared/contract"
	"roster/shared/domain"
	"roster/shared/standins"
	"roster/shared/store"
	"roster/shared/testenv"
)

type options struct {
	port, dynamoPort, sesPort int
	persist                   string
	table                     string
	mailFrom                  string
	templatePath, siteDir     string
	dynamoEndpoint, sesEndpt  string
	standinsOnly              bool
	envFile                   string
	quiet                     bool
	ttlInterval               time.Duration
	noStreams                 bool
	processes                 int
	deadLetters               string
	eventsLog                 string
	contract                  bool
	catalog                   string
}

func main() {
	var o options
	flag.IntVar(&o.port, "port", 3000, "port of the site and API (0 picks a free one)")
	flag.IntVar(&o.dynamoPort, "dynamodb-port", 8000, "port of DynamoDB Local (0 picks a free one)")
	flag.IntVar(&o.sesPort, "ses-port", 8005, "port of the local SES and its sent-mail page (0 picks a free one)")
	flag.StringVar(&o.persist, "persist", "", "keep DynamoDB data in this directory between runs (default: in memory)")
	flag.StringVar(&o.table, "table", "roster", "table name")
	flag.StringVar(&o.mailFrom, "mail-from", "roster@example.com", "sender of Roster's emails")
	flag.StringVar(&o.templatePath, "template", "template.yaml", "SAM template with the routes")
	flag.StringVar(&o.siteDir, "site", "site/dist", "built site to serve")
	flag.StringVar(&o.dynamoEndpoint, "dynamodb-endpoint", "", "use this running DynamoDB instead of starting DynamoDB Local")
	flag.StringVar(&o.sesEndpt, "ses-endpoint", "", "use this running SES v2 endpoint instead of starting the local SES")
	flag.BoolVar(&o.standinsOnly, "standins-only", false, "start only DynamoDB Local and the local SES (for make test)")
	flag.StringVar(&o.envFile, "env-file", "", "with -standins-only: write ROSTER_DYNAMODB_ENDPOINT and ROSTER_SES_ENDPOINT here once ready")
	flag.BoolVar(&o.quiet, "quiet", false, "do not copy the stand-ins' own output to stderr")
	flag.DurationVar(&o.ttlInterval, "ttl-interval", time.Second, "how often the TTL emulator deletes expired items")
	flag.IntVar(&o.processes, "function-processes", 10, "most processes of one function at once (Lambda's concurrency; requests beyond it wait)")
	flag.BoolVar(&o.noStreams, "no-streams", false, "run no stream functions and no TTL emulator")
	flag.StringVar(&o.eventsLog, "events-log", ".build/events.jsonl", "append the history events the events publisher would put on EventBridge to this JSON-lines file")
	flag.StringVar(&o.deadLetters, "dead-letters", ".build/dead-letters", "write the stream records whose retries are spent here, one <queue>.jsonl per dead-letter queue of the template")
	flag.BoolVar(&o.contract, "contract", false, "hold every API exchange to the OpenAPI document (shared/contract): an undocumented answer becomes 500 contract_violation")
	flag.StringVar(&o.catalog, "catalog", "", "use this permission catalog (roles, areas, presets) instead of shared/domain/permissions.json")
	flag.Parse()
	// The functions run in their own directories: they get an absolute path.
	if abs, err := filepath.Abs(o.eventsLog); err == nil {
		o.eventsLog = abs
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "roster-local:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	root, err := standins.RepoRoot()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))

	// Claim the gateway's port before starting anything, so that a port in
	// use is a message at once rather than after the stand-ins start.
	var listeners []net.Listener
	if !o.standinsOnly {
		listeners, err = listen(o.port)
		if err != nil {
			return err
		}
		defer closeAll(listeners)
		o.port = listeners[0].Addr().(*net.TCPAddr).Port
	}

	var standinLog io.Writer
	if !o.quiet {
		standinLog = os.Stderr
	}
	ddb, ses, cleanup, err := startStandins(ctx, o, standinLog)
	defer cleanup()
	if err != nil {
		return err
	}

	if o.standinsOnly {
		if o.envFile != "" {
			env := fmt.Sprintf("%s=%s\n%s=%s\n", testenv.EnvDynamoDB, ddb, testenv.EnvSES, ses)
			tmp := o.envFile + ".tmp"
			if err := os.WriteFile(tmp, []byte(env), 0o644); err != nil {
				return err
			}
			if err := os.Rename(tmp, o.envFile); err != nil {
				return err
			}
			defer os.Remove(o.envFile)
		}
		fmt.Printf("DynamoDB Local %s\nlocal SES      %s\n", ddb, ses)
		<-ctx.Done()
		return nil
	}

	db := store.NewClientFromConfig(testenv.AWSConfig(ddb), true)
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	err = store.EnsureTable(tctx, db, o.table, store.Table)
	cancel()
	if err != nil {
		return err
	}

	tpl, err := samtemplate.Load(o.templatePath)
	if err != nil {
		return err
	}
	siteURL := fmt.Sprintf("http://localhost:%d", o.port)
	var validator *contract.Validator
	if o.contract {
		if validator, err = contract.Load(); err != nil {
			return err
		}
	}
	var catalogEnv []string
	if o.catalog != "" {
		path, err := filepath.Abs(o.catalog)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("catalog: %w", err)
		}
		// Refused at once here rather than by every function as it starts.
		if _, err := domain.ParseCatalog(data); err != nil {
			return err
		}
		catalogEnv = []string{domain.CatalogFileEnv + "=" + path}
	}
	cfg := devstack.GatewayConfig(tpl, devstack.Options{Root: root, DynamoDB: ddb, SES: ses, SiteURL: siteURL,
		Table: o.table, MailFrom: o.mailFrom, EventsLog: o.eventsLog, Processes: o.processes})
	cfg.Contract = validator
	cfg.Env = append(cfg.Env, catalogEnv...)
	cfg.SiteDir, cfg.Logger, cfg.FunctionLog = o.siteDir, logger, os.Stderr
	gw, err := gateway.New(cfg)
	if err != nil {
		return err
	}
	defer gw.Close()

	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, len(listeners))
	for _, l := range listeners {
		go func(l net.Listener) { errc <- srv.Serve(l) }(l)
	}
	listeners = nil // the server owns them now

	stopStreams := func() {}
	if !o.noStreams {
		stopStreams, err = startStreams(ctx, tpl, gw, ddb, o, logger)
		if err != nil {
			return err
		}
	}
	defer stopStreams()

	if _, err := os.Stat(filepath.Join(o.siteDir, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "note: %s has no index.html; run `make build` to build the site\n", o.siteDir)
	}
	fmt.Printf("\n  Roster is running.\n\n  site and API    %s\n  sent mail       %s\n  DynamoDB Local  %s (table %q)\n\n  Ctrl-C stops everything.\n\n", siteURL, ses, ddb, o.table)
	ready, _ := json.Marshal(map[string]string{"site": siteURL, "mail": ses, "dynamodb": ddb, "table": o.table})
	fmt.Printf("ROSTER_READY %s\n", ready)

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "roster-local: stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stopStreams()
	_ = srv.Shutdown(sctx)
	return nil
}

// startStreams starts the TTL emulator and, for every template function
// with a DynamoDB event on the table's stream, a poller invoking it through
// the gateway. The returned function stops them and waits for them.
func startStreams(ctx context.Context, tpl *samtemplate.Template, gw *gateway.Gateway, ddb string, o options, logger *slog.Logger) (func(), error) {
	sources, err := streams.TableSources(tpl, "Table")
	if err != nil {
		return nil, err
	}
	cfg := testenv.AWSConfig(ddb)
	clients := streams.Clients{DynamoDB: dynamodb.NewFromConfig(cfg), Streams: dynamodbstreams.NewFromConfig(cfg)}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	run := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
				logger.Error("stream consumer stopped", slog.String("consumer", name), slog.String("error", err.Error()))
			}
		}()
	}
	ttl := streams.NewTTL(streams.TTLConfig{Clients: clients, Table: o.table, Attribute: store.Table.TTLAttribute,
		Interval: o.ttlInterval, Logger: logger.With("component", "ttl")})
	run("ttl", ttl.Run)
	for _, src := range sources {
		p := streams.NewPoller(streams.PollerConfig{Clients: clients, Table: o.table, Source: src, Invoke: gw.Invoke,
			Identity: ttl.Identity, Logger: logger, DeadLetterDir: o.deadLetters})
		run(src.Function, p.Run)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			wg.Wait()
		})
	}, nil
}

// startStandins starts DynamoDB Local and the local SES side by side unless
// endpoints are given, and returns their endpoints and a function that
// stops whatever was started.
func startStandins(ctx context.Context, o options, log io.Writer) (ddb, ses string, cleanup func(), err error) {
	var (
		mu      sync.Mutex
		started []*standins.Process
		errs    []error
		wg      sync.WaitGroup
	)
	cleanup = func() {
		for _, p := range started {
			_ = p.Stop()
		}
	}
	launch := func(given string, start func() (*standins.Process, error), out *string) {
		if given != "" {
			*out = strings.TrimRight(given, "/")
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := start()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			started = append(started, p)
			*out = p.Endpoint
		}()
	}
	launch(o.dynamoEndpoint, func() (*standins.Process, error) {
		return standins.StartDynamoDB(ctx, standins.DynamoDBOptions{Port: o.dynamoPort, DataDir: o.persist, Log: log})
	}, &ddb)
	launch(o.sesEndpt, func() (*standins.Process, error) {
		return standins.StartSES(ctx, standins.SESOptions{Port: o.sesPort, Log: log})
	}, &ses)
	wg.Wait()
	return ddb, ses, cleanup, errors.Join(errs...)
}

// listen opens the gateway's port on the IPv4 and, where the machine has
// it, IPv6 loopback, so that http://localhost works whichever one a client
// resolves first. Port 0 picks a free port, the same on both.
func listen(port int) ([]net.Listener, error) {
	v4, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, fmt.Errorf("port %d for the site and API is in use: stop what uses it or choose another with PORT=<port>", port)
	}
	ls := []net.Listener{v4}
	if v6, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", v4.Addr().(*net.TCPAddr).Port)); err == nil {
		ls = append(ls, v6)
	}
	return ls, nil
}

func closeAll(ls []net.Listener) {
	for _, l := range ls {
		l.Close()
	}
}
