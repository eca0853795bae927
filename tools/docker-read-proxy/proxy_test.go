package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func request(t *testing.T, raw string) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFilterPassesReadsOnly(t *testing.T) {
	cases := []struct {
		raw  string
		pass bool
	}{
		{"HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n", true},
		{"GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n", true},
		{"GET /v1.47/containers/json?all=1 HTTP/1.1\r\nHost: docker\r\n\r\n", true},
		{"GET /v1.47/events HTTP/1.1\r\nHost: docker\r\n\r\n", true},
		{"POST /v1.47/containers/create?name=x HTTP/1.1\r\nHost: docker\r\nContent-Length: 2\r\n\r\n{}", false},
		{"POST /_ping HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n", false},
		{"DELETE /v1.47/containers/x?force=1 HTTP/1.1\r\nHost: docker\r\n\r\n", false},
		{"PUT /v1.47/containers/x/archive?path=/ HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n", false},
		{"POST /v1.47/exec/abc/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n", false},
		{"GET /v1.47/containers/x/attach/ws?stdin=1 HTTP/1.1\r\nHost: docker\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n", false},
		{"GET /v1.47/containers/x/json HTTP/1.1\r\nHost: docker\r\nConnection: upgrade\r\n\r\n", false},
	}
	for _, c := range cases {
		r := request(t, c.raw)
		ok, why := allowed(r)
		if ok != c.pass {
			t.Errorf("%s %s: allowed=%v (%s), want %v", r.Method, r.URL, ok, why, c.pass)
		}
		if !ok && why == "" {
			t.Errorf("%s %s: refused without a reason", r.Method, r.URL)
		}
	}
}

func TestOnlyDialStdioMayRun(t *testing.T) {
	for _, c := range []string{"docker system dial-stdio", "docker --host unix:///run/user/1000/docker.sock system dial-stdio", "docker --host=unix:///var/run/docker.sock system dial-stdio"} {
		if !permittedCommand(c) {
			t.Errorf("%q refused", c)
		}
	}
	for _, c := range []string{"", "id", "sh", "docker ps", "docker system dial-stdio; id", "docker --host unix:///x;id system dial-stdio", "docker system dial-stdio && touch /tmp/x", "docker --host tcp://1.2.3.4:2375 system dial-stdio"} {
		if permittedCommand(c) {
			t.Errorf("%q permitted", c)
		}
	}
}

// daemon serves handler on a unix socket, like dockerd, and counts the connections made to it.
func daemon(t *testing.T, handler http.Handler) (func() (net.Conn, error), *int32) {
	t.Helper()
	socket := filepath.Join(t.TempDir(), "docker.sock")
	l, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	server := &http.Server{Handler: handler}
	go server.Serve(l)
	t.Cleanup(func() { server.Close() })
	var dials int32
	return func() (net.Conn, error) {
		atomic.AddInt32(&dials, 1)
		return net.Dial("unix", socket)
	}, &dials
}

// session runs serve between a client-side pipe pair, as sshd would between the SSH channel and the program.
func session(t *testing.T, dial func() (net.Conn, error)) (io.WriteCloser, *bufio.Reader, chan error) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := serve(inR, outW, dial)
		outW.Close()
		done <- err
	}()
	return inW, bufio.NewReader(outR), done
}

func send(t *testing.T, w io.Writer, raw string) {
	t.Helper()
	go func() { io.WriteString(w, raw) }()
}

func TestKeepAliveServesManyRequestsOnOneSession(t *testing.T) {
	dial, dials := daemon(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"path":"`+r.URL.Path+`","method":"`+r.Method+`"}`)
	}))
	in, out, done := session(t, dial)
	for _, path := range []string{"/_ping", "/v1.47/containers/json", "/v1.47/networks"} {
		send(t, in, "GET "+path+" HTTP/1.1\r\nHost: docker\r\n\r\n")
		resp, err := http.ReadResponse(out, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(body), path) {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	send(t, in, "HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n")
	head, err := http.ReadResponse(out, &http.Request{Method: http.MethodHead})
	if err != nil || head.StatusCode != 200 {
		t.Fatalf("HEAD: %v %v", head, err)
	}
	in.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := atomic.LoadInt32(dials); n != 1 {
		t.Fatalf("%d connections to the daemon, want 1 (keep-alive)", n)
	}
}

func TestChunkedResponsesStreamWhileTheDaemonIsStillSending(t *testing.T) {
	release := make(chan struct{})
	dial, _ := daemon(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first event\n")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "second event\n")
	}))
	in, out, done := session(t, dial)
	send(t, in, "GET /v1.47/events HTTP/1.1\r\nHost: docker\r\n\r\n")
	resp, err := http.ReadResponse(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Fatalf("transfer encoding %v, want chunked", resp.TransferEncoding)
	}
	body := bufio.NewReader(resp.Body)
	first := make(chan string, 1)
	go func() { l, _ := body.ReadString('\n'); first <- l }()
	select {
	case l := <-first:
		if l != "first event\n" {
			t.Fatalf("first line %q", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first chunk did not arrive before the daemon finished: the response is buffered, not streamed")
	}
	close(release)
	rest, _ := io.ReadAll(body)
	if string(rest) != "second event\n" {
		t.Fatalf("rest %q", rest)
	}
	in.Close()
	<-done
}

func TestWritesAreRefusedWithAMessageAndNeverReachTheDaemon(t *testing.T) {
	var reached int32
	dial, dials := daemon(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { atomic.AddInt32(&reached, 1) }))
	in, out, done := session(t, dial)
	send(t, in, "POST /v1.47/containers/create?name=x HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"Image\":\"alpine\"}")
	resp, err := http.ReadResponse(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Message string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusForbidden || !resp.Close {
		t.Fatalf("status %d close %v, want 403 and Connection: close", resp.StatusCode, resp.Close)
	}
	want := "docker-read-proxy: refused POST /v1.47/containers/create: only GET and HEAD requests pass"
	if !strings.HasPrefix(body.Message, want) {
		t.Fatalf("message %q, want it to start with %q", body.Message, want)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if atomic.LoadInt32(&reached) != 0 || atomic.LoadInt32(dials) != 0 {
		t.Fatal("a refused request reached the daemon")
	}
}

func TestMalformedInputEndsTheSessionWithABadRequest(t *testing.T) {
	dial, dials := daemon(t, http.NotFoundHandler())
	in, out, done := session(t, dial)
	send(t, in, "id; cat /etc/passwd\n\n")
	resp, err := http.ReadResponse(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d", resp.StatusCode)
	}
	<-done
	if atomic.LoadInt32(dials) != 0 {
		t.Fatal("malformed input reached the daemon")
	}
}
