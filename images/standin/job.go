package main

// `standin job ARGS...` stands in for a job's run where the real command cannot run (locally, without the job's
// image): it names what it stands in for, takes STANDIN_JOB_DURATION (a Go duration, default 0) and exits with
// STANDIN_JOB_EXIT (0-255, default 0), so a test decides whether the run succeeds.

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

func jobCmd(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	code := 0
	if raw := strings.TrimSpace(getenv("STANDIN_JOB_EXIT")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 255 {
			fmt.Fprintf(stderr, "standin job: STANDIN_JOB_EXIT %q is not an exit code (0-255)\n", raw)
			return 2
		}
		code = n
	}
	var duration time.Duration
	if raw := strings.TrimSpace(getenv("STANDIN_JOB_DURATION")); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 0 {
			fmt.Fprintf(stderr, "standin job: STANDIN_JOB_DURATION %q is not a non-negative Go duration (e.g. 2s)\n", raw)
			return 2
		}
		duration = d
	}
	fmt.Fprintf(stdout, "standin job: standing in for %q\n", strings.Join(args, " "))
	time.Sleep(duration)
	if code != 0 {
		fmt.Fprintf(stderr, "standin job: failing with exit code %d (STANDIN_JOB_EXIT)\n", code)
	} else {
		fmt.Fprintln(stdout, "standin job: done")
	}
	return code
}
