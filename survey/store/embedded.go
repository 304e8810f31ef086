package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Files inside a data directory.
const (
	lockFile   = "canvass.lock" // held (flock) by the process that owns the directory
	uriFile    = "canvass.uri"  // how other processes reach the owner's embedded server
	socketFile = "mongodb.sock" // the embedded server's Unix socket
	dbDir      = "db"           // the embedded server's SQLite files
)

// maxSocketPath is the longest Unix socket path Linux and macOS accept, less a margin.
const maxSocketPath = 100

// ErrDataDirInUse is returned by StartEmbedded when another process owns the data directory.
var ErrDataDirInUse = errors.New("data directory in use")

// Embedded is the in-process MongoDB-wire-compatible server (FerretDB with
// its SQLite backend) that Canvass uses when no MongoDB URI is configured.
// The process that starts it owns the data directory, exclusively.
type Embedded struct {
	// URI is the MongoDB connection string for the server.
	URI string
	// TCPURI is the connection string of the TCP listener, when there is one.
	TCPURI string

	dir    string
	lock   *os.File
	cancel context.CancelFunc
	done   chan struct{}
}

// StartEmbedded takes ownership of dataDir and starts the embedded server on a
// Unix socket inside it (mode 0700, so no other local user can connect), or on
// a loopback TCP port when the socket path would be too long. It returns an
// error wrapping ErrDataDirInUse, naming the owner's pid, when another process
// owns dataDir. The server's log goes to logger at warning level and above.
func StartEmbedded(dataDir string, logger *slog.Logger) (*Embedded, error) {
	return StartEmbeddedOn(dataDir, "", logger)
}

// StartEmbeddedOn is StartEmbedded that also listens on a loopback TCP
// address (such as 127.0.0.1:27017) when tcp is not empty, so that several
// canvass processes can share the database (see `canvass db`). Only
// loopback addresses are accepted: the embedded server has no
// authentication.
func StartEmbeddedOn(dataDir, tcp string, logger *slog.Logger) (*Embedded, error) {
	if tcp != "" {
		host, _, err := net.SplitHostPort(tcp)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("the embedded database listens on loopback addresses only (like 127.0.0.1:27017), not %q", tcp)
		}
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, dbDir), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	e := &Embedded{dir: dir, lock: lock, done: make(chan struct{})}

	listener := ferretdb.ListenerConfig{TCP: tcp}
	sock := filepath.Join(dir, socketFile)
	if len(sock) <= maxSocketPath {
		_ = os.Remove(sock) // left by a killed process; we hold the lock, so it is stale
		listener.Unix = sock
	} else if tcp == "" {
		listener.TCP = "127.0.0.1:0"
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  listener,
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.Join(dir, dbDir) + "/",
		Logger:    slog.New(newQuietHandler(logger.Handler().WithAttrs([]slog.Attr{slog.String("component", "embedded-db")}))),
	})
	if err != nil {
		e.unlock()
		return nil, fmt.Errorf("start embedded database: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	go func() {
		defer close(e.done)
		_ = f.Run(ctx)
	}()
	if listener.Unix != "" {
		e.URI = "mongodb://" + url.PathEscape(sock) + "/"
	} else {
		e.URI = f.MongoDBURI() // waits for the listener
	}
	if tcp != "" {
		e.TCPURI = f.MongoDBURI() // TCP is preferred by MongoDBURI when both listen
	}
	if err := os.WriteFile(filepath.Join(dir, uriFile), []byte(e.URI+"\n"), 0o600); err != nil {
		_ = e.Close()
		return nil, fmt.Errorf("write %s: %w", uriFile, err)
	}
	return e, nil
}

// Close stops the server and releases the data directory. Disconnect clients
// first: the server waits for open connections to finish.
func (e *Embedded) Close() error {
	e.cancel()
	select {
	case <-e.done:
	case <-time.After(30 * time.Second):
		return errors.New("embedded database did not stop within 30s")
	}
	_ = os.Remove(filepath.Join(e.dir, uriFile))
	_ = os.Remove(filepath.Join(e.dir, socketFile))
	e.unlock()
	return nil
}

func (e *Embedded) unlock() {
	_ = syscall.Flock(int(e.lock.Fd()), syscall.LOCK_UN)
	_ = e.lock.Close()
}

// lockDir takes an exclusive, non-blocking lock on the data directory. The
// kernel releases it when the process dies, so a crash never leaves it stuck.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(path)
		_ = f.Close()
		owner := strings.TrimSpace(string(pid))
		if owner == "" {
			owner = "unknown"
		}
		return nil, fmt.Errorf("%w: %s is used by another canvass process (pid %s)", ErrDataDirInUse, dir, owner)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return f, nil
}

// RunningURI returns the URI of the embedded server of the process that owns
// dataDir, for commands that run while `canvass serve` does.
func RunningURI(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, uriFile))
	if err != nil {
		return "", fmt.Errorf("data directory %s is in use but its server address is missing: %w", dataDir, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// quietHandler passes the embedded server's warnings and errors on, except
// its wire-protocol dumps, which it logs at warning level for every command
// it does not support (such as endSessions, which every driver sends).
// The server derives a logger for every connection and message, so the
// attributes are applied only to records that are actually written: a text
// handler formats attributes eagerly, which cost 7% of the CPU of a
// submission when done for every message.
type quietHandler struct {
	next    slog.Handler
	derived []func(slog.Handler) slog.Handler
}

func newQuietHandler(next slog.Handler) quietHandler { return quietHandler{next: next} }

func (h quietHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, dump := range []string{"Request header", "Request message", "Response header", "Response message"} {
		if strings.HasPrefix(r.Message, dump) {
			return nil
		}
	}
	next := h.next
	for _, derive := range h.derived {
		next = derive(next)
	}
	return next.Handle(ctx, r)
}

func (h quietHandler) derive(f func(slog.Handler) slog.Handler) quietHandler {
	return quietHandler{next: h.next, derived: append(append([]func(slog.Handler) slog.Handler(nil), h.derived...), f)}
}

func (h quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return h.derive(func(n slog.Handler) slog.Handler { return n.WithAttrs(as) })
}

func (h quietHandler) WithGroup(name string) slog.Handler {
	return h.derive(func(n slog.Handler) slog.Handler { return n.WithGroup(name) })
}
