// Command standin is a small, static stand-in for services that cannot run in
// the local test engine (ComfyUI, Ollama, Grafana, DCGM exporter, Python
// workers, MCP server, dev container). Everything is configured by env:
//
//	STANDIN_NAME          service name used in JSON bodies and logs (default "standin")
//	STANDIN_HTTP_PORTS    comma list of HTTP ports; every path answers 200
//	                      {"status":"ok","service":NAME}, /metrics answers Prometheus text
//	STANDIN_TCP_PORTS     comma list of plain TCP ports (accept, hold, close on shutdown)
//	STANDIN_METRICS       comma list of metric names exposed with value 0
//	                      (_total => counter, _bucket => histogram of the base name, else gauge)
//	STANDIN_METRICS_FILE  optional DCGM-exporter counters CSV; malformed => exit 1
//	STANDIN_START_DELAY   Go duration to wait before listening (default 0)
//	STANDIN_OLLAMA_MODELS directory where a stand-in Ollama records pulls; when set, /api/pull, /api/tags and
//	                      /api/version answer as Ollama's do (see ollama.go)
//
// Subcommands:
//
//	standin probe URL       http://host:port/path (2xx/3xx => 0) or tcp://host:port (connect => 0)
//	standin check-csv FILE  validate a DCGM counters CSV and print its metric names
//	standin ollama pull M   Ollama's `pull` client against OLLAMA_HOST (ollama.go)
//	standin job ARGS...     stands in for a job's run: STANDIN_JOB_EXIT, STANDIN_JOB_DURATION (job.go)
//
// When the binary is invoked as "probe" (e.g. copied to /bin/probe), it runs
// the probe subcommand directly: `/bin/probe http://127.0.0.1:9090/-/healthy`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const probeTimeout = 3 * time.Second

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if filepath.Base(args[0]) == "probe" {
		return probeCmd(args[1:], stderr)
	}
	if len(args) > 1 {
		switch args[1] {
		case "probe":
			return probeCmd(args[2:], stderr)
		case "check-csv":
			return checkCSVCmd(args[2:], stdout, stderr)
		case "ollama":
			return ollamaCmd(args[2:], stdout, stderr)
		case "job":
			return jobCmd(args[2:], stdout, stderr, os.Getenv)
		case "serve":
			// explicit form of the default
		case "-h", "--help", "help":
			fmt.Fprintln(stdout, "usage: standin [serve] | standin probe URL | standin check-csv FILE | standin ollama pull NAME | standin job ARGS... (configuration: STANDIN_* env)")
			return 0
		default:
			fmt.Fprintf(stderr, "standin: unknown subcommand %q\n", args[1])
			return 2
		}
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "standin: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "standin: %v\n", err)
		return 1
	}
	return 0
}

type config struct {
	Name         string
	HTTPPorts    []int
	TCPPorts     []int
	Metrics      []metricSpec
	StartDelay   time.Duration
	OllamaModels string
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{Name: strings.TrimSpace(getenv("STANDIN_NAME")), OllamaModels: strings.TrimSpace(getenv("STANDIN_OLLAMA_MODELS"))}
	if cfg.Name == "" {
		cfg.Name = "standin"
	}
	var err error
	if cfg.HTTPPorts, err = parsePorts("STANDIN_HTTP_PORTS", getenv("STANDIN_HTTP_PORTS")); err != nil {
		return cfg, err
	}
	if cfg.TCPPorts, err = parsePorts("STANDIN_TCP_PORTS", getenv("STANDIN_TCP_PORTS")); err != nil {
		return cfg, err
	}
	listed, err := parseMetricList(getenv("STANDIN_METRICS"))
	if err != nil {
		return cfg, err
	}
	var fromFile []metricSpec
	if path := strings.TrimSpace(getenv("STANDIN_METRICS_FILE")); path != "" {
		f, err := os.Open(path)
		if err != nil {
			// Set but unreadable is an error: a missing mount must not pass silently.
			return cfg, fmt.Errorf("STANDIN_METRICS_FILE %s: %v", path, err)
		} else {
			fromFile, err = parseDCGMCSV(f)
			f.Close()
			if err != nil {
				return cfg, fmt.Errorf("STANDIN_METRICS_FILE %s is malformed: %v", path, err)
			}
		}
	}
	cfg.Metrics = mergeSpecs(listed, fromFile)
	if d := strings.TrimSpace(getenv("STANDIN_START_DELAY")); d != "" {
		if cfg.StartDelay, err = time.ParseDuration(d); err != nil || cfg.StartDelay < 0 {
			return cfg, fmt.Errorf("STANDIN_START_DELAY %q is not a non-negative Go duration (e.g. 5s)", d)
		}
	}
	return cfg, nil
}

func parsePorts(name, v string) ([]int, error) {
	var ports []int
	for _, raw := range strings.Split(v, ",") {
		p := strings.TrimSpace(raw)
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s: %q is not a port number", name, p)
		}
		ports = append(ports, n)
	}
	return ports, nil
}

// logger writes one short line per event; safe for concurrent use.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logger) printf(format string, a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, time.Now().UTC().Format("15:04:05.000")+" "+format+"\n", a...)
}

func serve(ctx context.Context, cfg config, out io.Writer) error {
	log := &logger{w: out}
	start := time.Now()
	if cfg.StartDelay > 0 {
		log.printf("%s: waiting %s before listening", cfg.Name, cfg.StartDelay)
		select {
		case <-time.After(cfg.StartDelay):
		case <-ctx.Done():
			log.printf("%s: signal during start delay, exiting", cfg.Name)
			return nil
		}
	}
	handler := newHandler(cfg, float64(start.UnixNano())/1e9, log)
	var servers []*http.Server
	var listeners []net.Listener
	var wg sync.WaitGroup
	errc := make(chan error, len(cfg.HTTPPorts)+len(cfg.TCPPorts))

	closeAll := func() {
		for _, l := range listeners {
			l.Close()
		}
	}
	for _, p := range cfg.HTTPPorts {
		ln, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
		if err != nil {
			closeAll()
			return fmt.Errorf("http port %d: %v", p, err)
		}
		listeners = append(listeners, ln)
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	var conns sync.Map
	for _, p := range cfg.TCPPorts {
		ln, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
		if err != nil {
			closeAll()
			return fmt.Errorf("tcp port %d: %v", p, err)
		}
		listeners = append(listeners, ln)
		wg.Add(1)
		go func(ln net.Listener, port int) {
			defer wg.Done()
			for {
				c, err := ln.Accept()
				if err != nil {
					return // listener closed
				}
				conns.Store(c, true)
				log.printf("%s: tcp :%d accept %s", cfg.Name, port, c.RemoteAddr())
				go func() {
					defer conns.Delete(c)
					defer c.Close()
					io.Copy(io.Discard, c) // hold until the peer closes or shutdown
				}()
			}
		}(ln, p)
	}
	log.printf("%s: ready http=%v tcp=%v metrics=%d", cfg.Name, cfg.HTTPPorts, cfg.TCPPorts, len(cfg.Metrics))

	var runErr error
	select {
	case <-ctx.Done():
		log.printf("%s: signal received, shutting down", cfg.Name)
	case runErr = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(sctx)
	}
	closeAll()
	conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
	}
	return runErr
}

func newHandler(cfg config, startUnix float64, log *logger) http.Handler {
	body := fmt.Sprintf(`{"status":"ok","service":%s}`+"\n", strconv.Quote(cfg.Name))
	ollama := func(http.ResponseWriter, *http.Request) bool { return false }
	if cfg.OllamaModels != "" {
		ollama = ollamaAPI(cfg.OllamaModels, log)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		if ollama(w, r) {
			log.printf("%s: %s %s (ollama) %s", cfg.Name, r.Method, r.URL.Path, r.RemoteAddr)
			return
		}
		if r.URL.Path == "/metrics" {
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			renderMetrics(w, startUnix, cfg.Metrics)
		} else {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, body)
		}
		log.printf("%s: %s %s %d %s", cfg.Name, r.Method, r.URL.Path, status, r.RemoteAddr)
	})
}

func probeCmd(args []string, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: probe http://host:port/path | tcp://host:port")
		return 2
	}
	if err := probe(args[0], probeTimeout); err != nil {
		fmt.Fprintf(stderr, "probe %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func probe(raw string, timeout time.Duration) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "tcp":
		if u.Host == "" {
			return fmt.Errorf("tcp probe needs tcp://host:port")
		}
		c, err := net.DialTimeout("tcp", u.Host, timeout)
		if err != nil {
			return err
		}
		return c.Close()
	case "http":
		client := &http.Client{
			Timeout: timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // a 3xx counts as healthy
			},
		}
		resp, err := client.Get(raw)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode >= 400 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	default:
		return fmt.Errorf("unsupported scheme %q (want http or tcp)", u.Scheme)
	}
}

func checkCSVCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: standin check-csv FILE")
		return 2
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "standin: %v\n", err)
		return 1
	}
	defer f.Close()
	specs, err := parseDCGMCSV(f)
	if err != nil {
		fmt.Fprintf(stderr, "standin: %s is malformed: %v\n", args[0], err)
		return 1
	}
	for _, s := range specs {
		fmt.Fprintf(stdout, "%s %s\n", s.Name, s.Kind)
	}
	return 0
}
