package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseMetricListKinds(t *testing.T) {
	specs, err := parseMetricList(" comfyui_queue_depth , ollama_requests_total,worker_latency_seconds_bucket,,comfyui_queue_depth")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]metricKind{}
	for _, s := range specs {
		got[s.Name] = s.Kind
	}
	want := map[string]metricKind{
		"comfyui_queue_depth":    kindGauge,
		"ollama_requests_total":  kindCounter,
		"worker_latency_seconds": kindHistogram,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("kinds = %v, want %v", got, want)
	}
}

func TestParseMetricListRejectsBadName(t *testing.T) {
	for _, in := range []string{"1abc", "has-dash", "sp ace", "_bucket"} {
		if _, err := parseMetricList(in); err == nil {
			t.Errorf("parseMetricList(%q): want error", in)
		}
	}
}

const goodCSV = `# Format
# If line starts with a '#' it is considered a comment
# DCGM FIELD, Prometheus metric type, help message

# Clocks
DCGM_FI_DEV_SM_CLOCK,  gauge, SM clock frequency (in MHz).
DCGM_FI_DEV_GPU_UTIL,      gauge, GPU utilization (in %).
DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, counter, Total energy consumption since boot (in mJ).
DCGM_FI_DEV_XID_ERRORS, gauge, Value of the last XID error encountered, if any.
DCGM_FI_DRIVER_VERSION, label, Driver Version
DCGM_FI_PROF_LAT, histogram, A latency histogram
`

func TestParseDCGMCSV(t *testing.T) {
	specs, err := parseDCGMCSV(strings.NewReader(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 6 {
		t.Fatalf("got %d specs, want 6: %v", len(specs), sortedNames(specs))
	}
	xid := specs[3]
	if xid.Name != "DCGM_FI_DEV_XID_ERRORS" || xid.Help != "Value of the last XID error encountered, if any." {
		t.Fatalf("help with a comma not kept whole: %+v", xid)
	}
	if specs[2].Kind != kindCounter || specs[4].Kind != kindLabel || specs[5].Kind != kindHistogram {
		t.Fatalf("kinds wrong: %+v", specs)
	}
	for _, s := range specs {
		if s.Labels != `gpu="0",UUID="GPU-standin"` {
			t.Fatalf("labels = %q", s.Labels)
		}
	}
}

func TestParseDCGMCSVMalformed(t *testing.T) {
	cases := map[string]string{
		"two fields":    "DCGM_FI_DEV_GPU_UTIL, gauge\n",
		"one field":     "DCGM_FI_DEV_GPU_UTIL\n",
		"bad type":      "DCGM_FI_DEV_GPU_UTIL, gauges, GPU utilization.\n",
		"empty type":    "DCGM_FI_DEV_GPU_UTIL, , GPU utilization.\n",
		"bad name":      "DCGM FI DEV, gauge, spaces in name.\n",
		"empty help":    "DCGM_FI_DEV_GPU_UTIL, gauge, \n",
		"after comment": "# ok\nDCGM_FI_DEV_SM_CLOCK, gauge, fine\nDCGM_FI_DEV_GPU_UTIL; gauge; semicolons\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseDCGMCSV(strings.NewReader(in))
			if err == nil {
				t.Fatalf("want error for %q", in)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Fatalf("error should name the line: %v", err)
			}
		})
	}
}

func TestRenderMetrics(t *testing.T) {
	listed, _ := parseMetricList("queue_depth,jobs_total,latency_seconds_bucket")
	dcgm, _ := parseDCGMCSV(strings.NewReader(goodCSV))
	var buf bytes.Buffer
	if err := renderMetrics(&buf, 1700000000.5, mergeSpecs(listed, dcgm)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"# TYPE standin_up gauge\nstandin_up 1\n",
		"process_start_time_seconds 1700000000.500\n",
		"# TYPE queue_depth gauge\nqueue_depth 0\n",
		"# TYPE jobs_total counter\njobs_total 0\n",
		"# TYPE latency_seconds histogram\n",
		`latency_seconds_bucket{le="0.005"} 0`,
		`latency_seconds_bucket{le="+Inf"} 0`,
		"latency_seconds_sum 0\nlatency_seconds_count 0\n",
		"# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n" + `DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-standin"} 0`,
		"# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\n",
		`DCGM_FI_PROF_LAT_bucket{gpu="0",UUID="GPU-standin",le="+Inf"} 0`,
		`DCGM_FI_PROF_LAT_count{gpu="0",UUID="GPU-standin"} 0`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n---\n%s", want, out)
		}
	}
	if strings.Contains(out, "DCGM_FI_DRIVER_VERSION") {
		t.Errorf("label-type field must not be exposed as a sample")
	}
	// Every family is declared exactly once (Prometheus rejects a second TYPE line).
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "# TYPE ") {
			name := strings.Fields(line)[2]
			if seen[name] {
				t.Errorf("family %s declared twice", name)
			}
			seen[name] = true
		}
	}
}

func TestLoadConfigMalformedCSVFails(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("DCGM_FI_DEV_GPU_UTIL, gauge\n"), 0o644)
	env := map[string]string{"STANDIN_METRICS_FILE": bad}
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("want malformed error, got %v", err)
	}
	env["STANDIN_METRICS_FILE"] = filepath.Join(dir, "missing.csv")
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatalf("missing file must be an error")
	}
	env = map[string]string{"STANDIN_HTTP_PORTS": "80,x"}
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatalf("bad port must be an error")
	}
	env = map[string]string{"STANDIN_START_DELAY": "soon"}
	if _, err := loadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatalf("bad delay must be an error")
	}
}

func TestHandler(t *testing.T) {
	cfg := config{Name: "ollama"}
	cfg.Metrics, _ = parseMetricList("ollama_requests_total")
	h := newHandler(cfg, 1, &logger{w: io.Discard})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/tags")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != `{"status":"ok","service":"ollama"}`+"\n" {
		t.Fatalf("got %d %q", resp.StatusCode, b)
	}
	resp, _ = http.Get(srv.URL + "/metrics")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "ollama_requests_total 0") {
		t.Fatalf("metrics: %s", b)
	}
	if err := probe(srv.URL+"/healthz", time.Second); err != nil {
		t.Fatalf("http probe: %v", err)
	}
	if err := probe("tcp://"+strings.TrimPrefix(srv.URL, "http://"), time.Second); err != nil {
		t.Fatalf("tcp probe: %v", err)
	}
}

func TestProbeFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	if err := probe(srv.URL+"/", time.Second); err == nil {
		t.Fatal("503 must fail the probe")
	}
	if err := probe(srv.URL+"/redirect", time.Second); err != nil {
		t.Fatalf("3xx must pass the probe: %v", err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if err := probe("tcp://"+addr, time.Second); err == nil {
		t.Fatal("closed port must fail the tcp probe")
	}
	if err := probe("ftp://"+addr, time.Second); err == nil {
		t.Fatal("unknown scheme must fail")
	}
}

func TestServeShutsDownOnCancel(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := config{Name: "t", TCPPorts: []int{port}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, io.Discard) }()
	deadline := time.Now().Add(3 * time.Second)
	for probe("tcp://127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond) != nil {
		if time.Now().After(deadline) {
			t.Fatal("tcp listener never came up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)) // a held connection must not block shutdown
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
}
