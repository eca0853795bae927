package main

// Ollama's model API, as far as a deploy uses it: the server side (`/api/pull`, `/api/tags`, `/api/version`) for a
// stand-in Ollama, and the client side of `ollama pull NAME` for a one-shot job that pulls a model into it.
//
// A pull is recorded, never downloaded: the stand-in writes a manifest where Ollama keeps its models
// (<models>/manifests/<registry>/<namespace>/<model>/<tag>), marked as the stand-in's, with no layers. A second pull
// of the same name finds it and writes nothing new, so a pull job is idempotent here as it is against Ollama, and the
// record survives restarts on the model volume.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

const (
	ollamaRegistry  = "registry.ollama.ai"
	ollamaNamespace = "library"
	ollamaPort      = "11434"
)

// modelName is a parsed `[registry/][namespace/]model[:tag]`.
type modelName struct{ Registry, Namespace, Model, Tag string }

var namePart = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)

func parseModelName(raw string) (modelName, error) {
	n := modelName{Registry: ollamaRegistry, Namespace: ollamaNamespace, Tag: "latest"}
	rest := strings.TrimSpace(raw)
	if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
		n.Tag, rest = rest[i+1:], rest[:i]
	}
	parts := strings.Split(rest, "/")
	switch len(parts) {
	case 1:
		n.Model = parts[0]
	case 2:
		n.Namespace, n.Model = parts[0], parts[1]
	case 3:
		n.Registry, n.Namespace, n.Model = parts[0], parts[1], parts[2]
	default:
		return n, fmt.Errorf("invalid model name %q", raw)
	}
	for _, p := range []string{n.Registry, n.Namespace, n.Model, n.Tag} {
		if !namePart.MatchString(p) {
			return n, fmt.Errorf("invalid model name %q", raw)
		}
	}
	return n, nil
}

// Short is how `ollama list` names a model: the library namespace and registry are implied.
func (n modelName) Short() string {
	if n.Registry == ollamaRegistry && n.Namespace == ollamaNamespace {
		return n.Model + ":" + n.Tag
	}
	if n.Registry == ollamaRegistry {
		return n.Namespace + "/" + n.Model + ":" + n.Tag
	}
	return n.Registry + "/" + n.Namespace + "/" + n.Model + ":" + n.Tag
}

func (n modelName) manifestPath(models string) string {
	return filepath.Join(models, "manifests", n.Registry, n.Namespace, n.Model, n.Tag)
}

type standinManifest struct {
	SchemaVersion int      `json:"schemaVersion"`
	MediaType     string   `json:"mediaType"`
	Layers        []string `json:"layers"`
	Standin       string   `json:"standin"`
	Name          string   `json:"name"`
}

// ollamaAPI serves the model endpoints under `models`; ok is false for paths it does not own.
func ollamaAPI(models string, log *logger) func(w http.ResponseWriter, r *http.Request) (ok bool) {
	return func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case "/api/version":
			writeJSON(w, http.StatusOK, map[string]string{"version": "0.0.0-standin"})
		case "/api/tags":
			tags, err := listModels(models)
			if err != nil {
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
				return true
			}
			writeJSON(w, http.StatusOK, map[string]any{"models": tags})
		case "/api/pull":
			if r.Method != http.MethodPost {
				writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
				return true
			}
			pull(w, r, models, log)
		default:
			return false
		}
		return true
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func pull(w http.ResponseWriter, r *http.Request, models string, log *logger) {
	var req struct {
		Model  string `json:"model"`
		Name   string `json:"name"` // the older field name
		Stream *bool  `json:"stream"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid request body: " + err.Error()})
		return
	}
	raw := req.Model
	if raw == "" {
		raw = req.Name
	}
	name, err := parseModelName(raw)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	stream := req.Stream == nil || *req.Stream
	statuses := []string{"pulling manifest"}
	path := name.manifestPath(models)
	if _, err := os.Stat(path); err == nil {
		statuses = append(statuses, "verifying sha256 digest")
		log.printf("ollama: %s is already pulled (%s)", name.Short(), path)
	} else {
		body, _ := json.Marshal(standinManifest{
			SchemaVersion: 2,
			MediaType:     "application/vnd.docker.distribution.manifest.v2+json",
			Layers:        []string{},
			Standin:       "recorded by the sparky-infra stand-in; no model layers were downloaded",
			Name:          name.Short(),
		})
		if err := writeFileAtomic(path, body); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "writing manifest: " + err.Error()})
			return
		}
		statuses = append(statuses, "verifying sha256 digest", "writing manifest")
		log.printf("ollama: recorded a pull of %s in %s", name.Short(), path)
	}
	statuses = append(statuses, "success")
	if !stream {
		writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	for _, s := range statuses {
		enc.Encode(map[string]string{"status": s})
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
}

func writeFileAtomic(path string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, body, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

type modelTag struct {
	Name       string `json:"name"`
	Model      string `json:"model"`
	ModifiedAt string `json:"modified_at"`
	Size       int64  `json:"size"`
	Digest     string `json:"digest"`
}

// listModels reads every manifest under models, in name order; a missing directory is an empty list.
func listModels(models string) ([]modelTag, error) {
	root := filepath.Join(models, "manifests")
	tags := []modelTag{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return filepath.SkipAll
			}
			return err
		}
		if d.IsDir() || strings.HasSuffix(path, ".tmp") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 4 {
			return nil
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, _ := d.Info()
		sum := sha256.Sum256(body)
		short := modelName{Registry: parts[0], Namespace: parts[1], Model: parts[2], Tag: parts[3]}.Short()
		tags = append(tags, modelTag{
			Name:       short,
			Model:      short,
			ModifiedAt: info.ModTime().UTC().Format(time.RFC3339),
			Digest:     hex.EncodeToString(sum[:]),
		})
		return nil
	})
	sort.Slice(tags, func(i, j int) bool { return tags[i].Name < tags[j].Name })
	return tags, err
}

// ollamaBaseURL reads OLLAMA_HOST as the Ollama CLI does: scheme http, host 127.0.0.1 and port 11434 unless given.
func ollamaBaseURL(env string) (*url.URL, error) {
	raw := strings.TrimSpace(env)
	if raw == "" {
		raw = "127.0.0.1"
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("OLLAMA_HOST %q is not host[:port] or a URL", env)
	}
	if u.Port() == "" {
		u.Host = u.Hostname() + ":" + ollamaPort
	}
	return u, nil
}

// ollamaCmd is the client: `ollama pull NAME` against OLLAMA_HOST, printing each status; 1 on any error.
func ollamaCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "pull" {
		fmt.Fprintln(stderr, "usage: standin ollama pull NAME (the stand-in speaks only Ollama's pull)")
		return 2
	}
	base, err := ollamaBaseURL(os.Getenv("OLLAMA_HOST"))
	if err != nil {
		fmt.Fprintf(stderr, "Error: %v\n", err)
		return 1
	}
	body, _ := json.Marshal(map[string]any{"model": args[1], "stream": true})
	client := &http.Client{Timeout: 5 * time.Minute}
	resp, err := client.Post(base.JoinPath("/api/pull").String(), "application/json", bytes.NewReader(body))
	if err != nil {
		fmt.Fprintf(stderr, "Error: could not reach Ollama at %s: %v\n", base, err)
		return 1
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	failed := resp.StatusCode != http.StatusOK
	for lines.Scan() {
		var msg struct{ Status, Error string }
		if json.Unmarshal(lines.Bytes(), &msg) != nil {
			continue
		}
		if msg.Error != "" {
			fmt.Fprintf(stderr, "Error: %s\n", msg.Error)
			failed = true
		} else if msg.Status != "" {
			fmt.Fprintln(stdout, msg.Status)
		}
	}
	if failed {
		if resp.StatusCode != http.StatusOK {
			fmt.Fprintf(stderr, "Error: pull %s: HTTP %d\n", args[1], resp.StatusCode)
		}
		return 1
	}
	return 0
}
