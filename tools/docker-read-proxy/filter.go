package main

import (
	"net/http"
	"regexp"
	"strings"
)

// allowed reports whether a request may reach the daemon, and why not. Reads pass (GET and HEAD, /_ping
// included); everything that can change something is refused: every other method, and connection upgrades
// (a GET upgraded to a websocket attaches to a container's stdin).
func allowed(r *http.Request) (bool, string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false, "only GET and HEAD requests pass"
	}
	if r.Header.Get("Upgrade") != "" || headerHasToken(r.Header, "Connection", "upgrade") {
		return false, "connection upgrades (attach, websockets) are refused"
	}
	return true, ""
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// The commands a Docker client asks sshd to run for an ssh:// host: `docker system dial-stdio`, with
// `--host unix://PATH` when the URL names a socket path (the proxy always uses its own --socket).
var dialStdio = regexp.MustCompile(`^docker( --host[= ]unix://[^\s;&|$` + "`" + `]+)? system dial-stdio$`)

// permittedCommand reports whether the command the SSH client asked for (SSH_ORIGINAL_COMMAND) is the Docker
// client's dial-stdio, the only thing this key may do.
func permittedCommand(original string) bool {
	return dialStdio.MatchString(strings.TrimSpace(original))
}
