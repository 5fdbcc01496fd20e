// Command roster-bench measures what `make bench` reports beyond the Go
// benchmarks: every function's cold-start init duration and its warm
// latency through the local gateway, read from the Server-Timing header,
// and the size of each stripped linux/arm64 bootstrap. It starts its own
// roster-local on free ports and stops it at the end.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"roster/infra/local/samtemplate"
)

func main() {
	warm := flag.Int("warm", 50, "warm requests per function")
	flag.Parse()
	if err := run(*warm); err != nil {
		fmt.Fprintln(os.Stderr, "roster-bench:", err)
		os.Exit(1)
	}
}

var (
	initRe = regexp.MustCompile(`init;dur=([0-9.]+)`)
	gwRe   = regexp.MustCompile(`gw;dur=([0-9.]+)`)
	ddbRe  = regexp.MustCompile(`ddb;dur=[0-9.]+;desc="([^"]*)"`)
)

func run(warm int) error {
	tpl, err := samtemplate.Load("template.yaml")
	if err != nil {
		return err
	}
	cmd := exec.Command(".build/bin/roster-local", "-port", "0", "-dynamodb-port", "0", "-ses-port", "0", "-quiet")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = nil
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start roster-local (run make build first): %w", err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	site, err := waitReady(out)
	if err != nil {
		return err
	}

	fmt.Printf("%-34s %-50s %9s %9s %9s  %s\n", "function", "route", "init ms", "warm p50", "warm p95", "DynamoDB per request")
	for _, fn := range tpl.Functions {
		if len(fn.Routes) == 0 {
			continue
		}
		r := fn.Routes[0]
		path := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(r.Path, "bench")
		cold, err := call(site, r.Method, path)
		if err != nil {
			return fmt.Errorf("%s: %w", fn.LogicalID, err)
		}
		initMS := "-"
		if m := initRe.FindStringSubmatch(cold); m != nil {
			initMS = m[1]
		}
		var lat []float64
		var ddb string
		for range warm {
			st, err := call(site, r.Method, path)
			if err != nil {
				return err
			}
			if m := gwRe.FindStringSubmatch(st); m != nil {
				v, _ := strconv.ParseFloat(m[1], 64)
				lat = append(lat, v)
			}
			if m := ddbRe.FindStringSubmatch(st); m != nil {
				ddb = m[1]
			}
		}
		sort.Float64s(lat)
		fmt.Printf("%-34s %-50s %9s %9.2f %9.2f  %s\n", fn.LogicalID, r.String(), initMS, pct(lat, 0.5), pct(lat, 0.95), ddb)
	}

	fmt.Println("\nstripped bootstrap sizes (linux/arm64, -tags lambda.norpc -s -w):")
	files, _ := filepath.Glob(".build/functions/*/bootstrap")
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			fmt.Printf("  %-28s %6.2f MiB\n", filepath.Base(filepath.Dir(f)), float64(st.Size())/(1<<20))
		}
	}
	return nil
}

// call sends one request the way the site would (same Origin, an empty
// JSON body on unsafe methods; unauthenticated, so that routes answer
// without side effects) and returns its Server-Timing header.
func call(site, method, path string) (string, error) {
	var body *strings.Reader
	if method != http.MethodGet {
		body = strings.NewReader("{}")
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, site+path, body)
	req.Header.Set("Origin", site)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return "", fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
	}
	return resp.Header.Get("Server-Timing"), nil
}

func waitReady(out interface{ Read([]byte) (int, error) }) (string, error) {
	sc := bufio.NewScanner(out)
	deadline := time.After(90 * time.Second)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return "", fmt.Errorf("roster-local exited before it was ready")
			}
			if rest, ok := strings.CutPrefix(l, "ROSTER_READY "); ok {
				var ready struct{ Site string }
				if err := json.Unmarshal([]byte(rest), &ready); err != nil {
					return "", err
				}
				go func() {
					for range lines {
					}
				}()
				return ready.Site, nil
			}
		case <-deadline:
			return "", fmt.Errorf("roster-local not ready in 90s")
		}
	}
}

func pct(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	return v[int(float64(len(v)-1)*p)]
}
