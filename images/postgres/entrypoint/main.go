// Command entrypoint starts Debian's PostgreSQL in sparky-local/postgres:dev with the part of the official postgres
// image's environment contract that sparky-infra uses:
//
//	POSTGRES_PASSWORD  required on first start: the password of POSTGRES_USER (scram-sha-256 over TCP)
//	POSTGRES_USER      the superuser (default "postgres")
//	POSTGRES_DB        the database created on first start (default: POSTGRES_USER)
//	PGDATA             the data directory (default /var/lib/postgresql/data)
//
// On first start (no PG_VERSION in PGDATA) it runs initdb, creates the database and lets TCP clients in with
// their password; then it replaces itself with the server. Extra arguments go to the server (`-c key=value`).
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "entrypoint: %v\n", err)
		os.Exit(1)
	}
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func run(args []string) error {
	bin, err := binDir()
	if err != nil {
		return err
	}
	data := env("PGDATA", "/var/lib/postgresql/data")
	user := env("POSTGRES_USER", "postgres")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		if err := initialize(bin, data, user, env("POSTGRES_DB", user)); err != nil {
			return err
		}
	}
	server := filepath.Join(bin, "postgres")
	return syscall.Exec(server, append([]string{server, "-D", data}, args...), os.Environ())
}

// binDir is the newest /usr/lib/postgresql/<major>/bin: Debian's layout, kept so that initdb finds its share files.
func binDir() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(found) == 0 {
		return "", errors.New("no /usr/lib/postgresql/*/bin/postgres in the image")
	}
	sort.Strings(found)
	return filepath.Dir(found[len(found)-1]), nil
}

func initialize(bin, data, user, db string) error {
	password := os.Getenv("POSTGRES_PASSWORD")
	if password == "" {
		return errors.New("POSTGRES_PASSWORD is not set: the first start needs the superuser's password (a server without one is refused)")
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	pwfile, err := os.CreateTemp("", "pwfile")
	if err != nil {
		return err
	}
	defer os.Remove(pwfile.Name())
	if _, err := pwfile.WriteString(password + "\n"); err != nil {
		return err
	}
	pwfile.Close()
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", user, "--pwfile="+pwfile.Name(),
		"--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8", "--locale=C")
	initdb.Stdout, initdb.Stderr = os.Stdout, os.Stderr
	if err := initdb.Run(); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	if db != "postgres" {
		single := exec.Command(filepath.Join(bin, "postgres"), "--single", "-D", data, "postgres")
		single.Stdin = strings.NewReader(fmt.Sprintf("CREATE DATABASE %s;\n", quoteIdent(db)))
		single.Stdout, single.Stderr = os.Stdout, os.Stderr
		if err := single.Run(); err != nil {
			return fmt.Errorf("creating database %s: %w", db, err)
		}
	}
	// Clients come through Docker's port publishing, from the network's gateway: any address, always with a password.
	if err := appendTo(filepath.Join(data, "pg_hba.conf"), "host all all all scram-sha-256\n"); err != nil {
		return err
	}
	return appendTo(filepath.Join(data, "postgresql.conf"), "listen_addresses = '*'\n")
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func appendTo(file, text string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
