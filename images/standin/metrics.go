package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// metricKind is the Prometheus family type a stand-in metric is exposed as.
type metricKind string

const (
	kindGauge     metricKind = "gauge"
	kindCounter   metricKind = "counter"
	kindHistogram metricKind = "histogram"
	// kindLabel is a DCGM-exporter field type: the real exporter attaches such
	// fields as labels instead of exposing a sample. The stand-in accepts the
	// type (so the CSV validates) and exposes nothing for it.
	kindLabel metricKind = "label"
)

// metricSpec is one metric family the stand-in exposes, always with value 0.
type metricSpec struct {
	Name   string
	Kind   metricKind
	Help   string
	Labels string // already rendered, e.g. `gpu="0",UUID="GPU-standin"`; may be empty
}

var metricNameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// defaultBuckets are the `le` bounds used for every stand-in histogram
// (the Prometheus client libraries' defaults).
var defaultBuckets = []string{"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}

// dcgmLabels are attached to every metric read from a DCGM counters CSV.
const dcgmLabels = `gpu="0",UUID="GPU-standin"`

// parseMetricList turns STANDIN_METRICS (comma separated names) into specs.
// A name ending in _total is a counter, a name ending in _bucket stands for a
// histogram family of the base name, anything else is a gauge. Duplicate
// families are dropped; invalid names are an error.
func parseMetricList(list string) ([]metricSpec, error) {
	var specs []metricSpec
	seen := map[string]bool{}
	for _, raw := range strings.Split(list, ",") {
		name := strings.TrimSpace(raw)
		if name == "" {
			continue
		}
		if !metricNameRE.MatchString(name) {
			return nil, fmt.Errorf("STANDIN_METRICS: %q is not a valid Prometheus metric name", name)
		}
		spec := metricSpec{Name: name, Kind: kindGauge, Help: "stand-in metric (always 0)"}
		switch {
		case strings.HasSuffix(name, "_total"):
			spec.Kind = kindCounter
		case strings.HasSuffix(name, "_bucket"):
			spec.Kind = kindHistogram
			spec.Name = strings.TrimSuffix(name, "_bucket")
			if spec.Name == "" {
				return nil, fmt.Errorf("STANDIN_METRICS: %q has no base name", name)
			}
		}
		if seen[spec.Name] {
			continue
		}
		seen[spec.Name] = true
		specs = append(specs, spec)
	}
	return specs, nil
}

// parseDCGMCSV reads a DCGM-exporter counters file: one field per line,
// `NAME, type, help text`, with `#` comments and blank lines ignored. The help
// text may itself contain commas. A line with fewer than three fields, an empty
// name or help, an invalid metric name, or a type other than gauge, counter,
// histogram or label is an error that names the line.
func parseDCGMCSV(r io.Reader) ([]metricSpec, error) {
	var specs []metricSpec
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.SplitN(line, ",", 3)
		if len(fields) != 3 {
			return nil, fmt.Errorf("line %d: want 3 comma-separated fields (name, type, help), got %d: %q", lineNo, len(fields), line)
		}
		name := strings.TrimSpace(fields[0])
		kind := metricKind(strings.ToLower(strings.TrimSpace(fields[1])))
		help := strings.TrimSpace(fields[2])
		if !metricNameRE.MatchString(name) {
			return nil, fmt.Errorf("line %d: %q is not a valid metric name", lineNo, name)
		}
		switch kind {
		case kindGauge, kindCounter, kindHistogram, kindLabel:
		default:
			return nil, fmt.Errorf("line %d: type %q of %s is not one of gauge, counter, histogram, label", lineNo, strings.TrimSpace(fields[1]), name)
		}
		if help == "" {
			return nil, fmt.Errorf("line %d: %s has an empty help text", lineNo, name)
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		specs = append(specs, metricSpec{Name: name, Kind: kind, Help: help, Labels: dcgmLabels})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return specs, nil
}

// renderMetrics writes the Prometheus text exposition (version 0.0.4).
func renderMetrics(w io.Writer, startUnix float64, specs []metricSpec) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# HELP standin_up Whether the stand-in is serving (always 1).\n")
	fmt.Fprintf(bw, "# TYPE standin_up gauge\n")
	fmt.Fprintf(bw, "standin_up 1\n")
	fmt.Fprintf(bw, "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n")
	fmt.Fprintf(bw, "# TYPE process_start_time_seconds gauge\n")
	fmt.Fprintf(bw, "process_start_time_seconds %s\n", strconv.FormatFloat(startUnix, 'f', 3, 64))
	for _, s := range specs {
		if s.Kind == kindLabel {
			continue
		}
		fmt.Fprintf(bw, "# HELP %s %s\n", s.Name, escapeHelp(s.Help))
		fmt.Fprintf(bw, "# TYPE %s %s\n", s.Name, s.Kind)
		switch s.Kind {
		case kindHistogram:
			for _, le := range defaultBuckets {
				fmt.Fprintf(bw, "%s_bucket{%s} 0\n", s.Name, joinLabels(s.Labels, `le="`+le+`"`))
			}
			fmt.Fprintf(bw, "%s_sum%s 0\n", s.Name, braces(s.Labels))
			fmt.Fprintf(bw, "%s_count%s 0\n", s.Name, braces(s.Labels))
		default:
			fmt.Fprintf(bw, "%s%s 0\n", s.Name, braces(s.Labels))
		}
	}
	return bw.Flush()
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

func braces(labels string) string {
	if labels == "" {
		return ""
	}
	return "{" + labels + "}"
}

func joinLabels(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "," + b
}

// mergeSpecs concatenates spec lists, dropping later duplicates of a family name.
func mergeSpecs(lists ...[]metricSpec) []metricSpec {
	var out []metricSpec
	seen := map[string]bool{"standin_up": true, "process_start_time_seconds": true}
	for _, l := range lists {
		for _, s := range l {
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			out = append(out, s)
		}
	}
	return out
}

// sortedNames is a test helper and debugging aid.
func sortedNames(specs []metricSpec) []string {
	var n []string
	for _, s := range specs {
		n = append(n, s.Name)
	}
	sort.Strings(n)
	return n
}
