package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func ollamaServer(t *testing.T) (string, *httptest.Server) {
	t.Helper()
	models := filepath.Join(t.TempDir(), "models")
	api := ollamaAPI(models, &logger{w: &bytes.Buffer{}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !api(w, r) {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return models, srv
}

func tags(t *testing.T, srv *httptest.Server) []string {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/tags")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Models []modelTag }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range body.Models {
		names = append(names, m.Name)
	}
	return names
}

func TestPullRecordsTheModelOnceAndTagsListIt(t *testing.T) {
	models, srv := ollamaServer(t)
	if got := tags(t, srv); len(got) != 0 {
		t.Fatalf("tags before any pull: %v", got)
	}
	t.Setenv("OLLAMA_HOST", srv.URL)
	var out, errOut bytes.Buffer
	if code := ollamaCmd([]string{"pull", "llama3.2"}, &out, &errOut); code != 0 {
		t.Fatalf("first pull: exit %d, stderr %q", code, errOut.String())
	}
	if !strings.Contains(out.String(), "writing manifest\nsuccess\n") {
		t.Fatalf("first pull printed %q", out.String())
	}
	manifest := filepath.Join(models, "manifests", "registry.ollama.ai", "library", "llama3.2", "latest")
	info, err := os.Stat(manifest)
	if err != nil {
		t.Fatalf("manifest not written: %v", err)
	}
	out.Reset()
	if code := ollamaCmd([]string{"pull", "llama3.2:latest"}, &out, &errOut); code != 0 {
		t.Fatalf("second pull: exit %d", code)
	}
	if strings.Contains(out.String(), "writing manifest") || !strings.HasSuffix(out.String(), "success\n") {
		t.Fatalf("second pull should find the model: %q", out.String())
	}
	again, _ := os.Stat(manifest)
	if !again.ModTime().Equal(info.ModTime()) {
		t.Fatal("second pull rewrote the manifest")
	}
	if got := tags(t, srv); len(got) != 1 || got[0] != "llama3.2:latest" {
		t.Fatalf("tags after pulls: %v", got)
	}
}

func TestPullOfABadNameOrAbsentServerFails(t *testing.T) {
	_, srv := ollamaServer(t)
	t.Setenv("OLLAMA_HOST", srv.URL)
	var out, errOut bytes.Buffer
	if code := ollamaCmd([]string{"pull", "bad name!"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "invalid model name") {
		t.Fatalf("bad name: exit %d, stderr %q", code, errOut.String())
	}
	srv.Close()
	errOut.Reset()
	if code := ollamaCmd([]string{"pull", "llama3.2"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "could not reach Ollama") {
		t.Fatalf("absent server: exit %d, stderr %q", code, errOut.String())
	}
}

func TestModelNamesAndHosts(t *testing.T) {
	for raw, want := range map[string]string{
		"llama3.2":                  "llama3.2:latest",
		"llama3.2:3b":               "llama3.2:3b",
		"me/model:v1":               "me/model:v1",
		"example.com/team/model:v2": "example.com/team/model:v2",
	} {
		n, err := parseModelName(raw)
		if err != nil || n.Short() != want {
			t.Errorf("%s: got %q, %v; want %q", raw, n.Short(), err, want)
		}
	}
	for raw, want := range map[string]string{
		"":                    "http://127.0.0.1:11434",
		"ollama":              "http://ollama:11434",
		"http://ollama:11434": "http://ollama:11434",
		"https://o.example":   "https://o.example:11434",
	} {
		u, err := ollamaBaseURL(raw)
		if err != nil || u.String() != want {
			t.Errorf("OLLAMA_HOST %q: got %v, %v; want %s", raw, u, err, want)
		}
	}
}

func TestJobExitsAsConfigured(t *testing.T) {
	env := func(values map[string]string) func(string) string { return func(k string) string { return values[k] } }
	var out, errOut bytes.Buffer
	if code := jobCmd([]string{"nu", "scripts/pipeline.nu", "daily"}, &out, &errOut, env(nil)); code != 0 ||
		!strings.Contains(out.String(), `standing in for "nu scripts/pipeline.nu daily"`) {
		t.Fatalf("default job: exit %d, %q", code, out.String())
	}
	if code := jobCmd(nil, &out, &errOut, env(map[string]string{"STANDIN_JOB_EXIT": "1"})); code != 1 ||
		!strings.Contains(errOut.String(), "failing with exit code 1") {
		t.Fatalf("failing job: exit %d, %q", code, errOut.String())
	}
	if code := jobCmd(nil, &out, &errOut, env(map[string]string{"STANDIN_JOB_EXIT": "300"})); code != 2 {
		t.Fatalf("bad exit code accepted: %d", code)
	}
}
