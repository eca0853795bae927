// docker-read-proxy: the forced command (command= in authorized_keys) of a read-only SSH key on a Docker host.
// The Docker client (the docker provider, the docker CLI) reaches an ssh:// host by running
// `docker system dial-stdio` over SSH and speaking the Docker API over that session's stdin and stdout. This
// program takes dial-stdio's place: it reads HTTP/1.1 requests from stdin, forwards the reads (GET, HEAD) to the
// daemon's socket, streams each response back to stdout, and answers everything else with 403 and a message
// that says why. Nothing but the standard library, built static (CGO_ENABLED=0).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

const name = "docker-read-proxy"

func main() {
	socket := flag.String("socket", "/var/run/docker.sock", "the Docker daemon's socket")
	flag.Parse()
	// Under sshd, the key may run the Docker client's dial-stdio and nothing else (no shell, no other command).
	if _, underSSH := os.LookupEnv("SSH_CONNECTION"); underSSH {
		original := os.Getenv("SSH_ORIGINAL_COMMAND")
		if !permittedCommand(original) {
			what := "an interactive login"
			if original != "" {
				what = fmt.Sprintf("%q", original)
			}
			fmt.Fprintf(os.Stderr, "%s: refused %s: this SSH key only reads the Docker API (docker system dial-stdio)\n", name, what)
			os.Exit(1)
		}
	}
	dial := func() (net.Conn, error) { return net.Dial("unix", *socket) }
	if err := serve(os.Stdin, os.Stdout, dial); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// serve answers the requests read from in, one after the other on the same stream (HTTP/1.1 keep-alive), until
// in ends, a request is refused, or either side closes the connection.
func serve(in io.Reader, out io.Writer, dial func() (net.Conn, error)) error {
	requests := bufio.NewReader(in)
	var upstream net.Conn
	var responses *bufio.Reader
	defer func() {
		if upstream != nil {
			upstream.Close()
		}
	}()
	for {
		req, err := http.ReadRequest(requests)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			reply(out, http.StatusBadRequest, "malformed request: "+err.Error())
			return nil
		}
		if ok, why := allowed(req); !ok {
			// Read (a bounded part of) the body first, so the client gets this answer rather than a broken pipe.
			io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20))
			reply(out, http.StatusForbidden, fmt.Sprintf("%s: refused %s %s: %s; this SSH key may only read the Docker API, changes need the deploy key", name, req.Method, req.URL.Path, why))
			return nil
		}
		if upstream == nil {
			if upstream, err = dial(); err != nil {
				reply(out, http.StatusBadGateway, fmt.Sprintf("%s: cannot reach the Docker daemon: %v", name, err))
				return err
			}
			responses = bufio.NewReader(upstream)
		}
		if err := req.Write(upstream); err != nil {
			reply(out, http.StatusBadGateway, fmt.Sprintf("%s: sending to the Docker daemon failed: %v", name, err))
			return err
		}
		resp, err := http.ReadResponse(responses, req)
		if err != nil {
			reply(out, http.StatusBadGateway, fmt.Sprintf("%s: reading the Docker daemon's answer failed: %v", name, err))
			return err
		}
		// Response.Write copies the body as it arrives (chunked stays chunked), so streams such as logs and
		// events reach the client while the daemon is still sending; out is unbuffered.
		err = resp.Write(out)
		resp.Body.Close()
		if err != nil || resp.Close || req.Close {
			return err
		}
	}
}

// reply writes an error the way the daemon does (JSON with a message, which the Docker client shows as
// "Error response from daemon: <message>"), and asks the client to close the connection.
func reply(out io.Writer, status int, message string) {
	encoded, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{message})
	body := string(encoded) + "\n"
	fmt.Fprintf(out, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), len(body), body)
}
