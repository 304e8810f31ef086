package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The backup format: gzip-compressed lines of JSON. A header, then for each
// collection a line {"collection", "count"} followed by that many documents
// in MongoDB's canonical Extended JSON (which keeps every BSON type), and a
// closing line with the totals, so a truncated file is detected.
type backupHeader struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	Database    string    `json:"database"`
	CreatedAt   time.Time `json:"created_at"`
	Consistency string    `json:"consistency"`
}

type backupSection struct {
	Collection string `json:"collection"`
	Count      int    `json:"count"`
}

type backupEnd struct {
	End         bool `json:"end"`
	Collections int  `json:"collections"`
	Documents   int  `json:"documents"`
}

const backupFormat = "canvass-backup"

// BackupInfo describes a written or restored backup.
type BackupInfo struct {
	Collections map[string]int // documents per collection
	// Consistency is "snapshot" when every collection was read at one
	// point in time (MongoDB's snapshot reads), else "per-collection"
	// (the embedded server has no snapshots: each collection is read as
	// it is, so back up while nothing writes for an exact copy).
	Consistency string
}

// Backup writes every collection of the database to w.
func (st *Store) Backup(ctx context.Context, w io.Writer) (*BackupInfo, error) {
	names, err := st.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, wrap(err, "list collections")
	}
	sort.Strings(names)
	info := &BackupInfo{Collections: map[string]int{}, Consistency: "per-collection"}
	readCtx := ctx
	// A snapshot session reads every collection at one point in time, where
	// the server supports it. FerretDB accepts the read concern but ignores
	// it, so it is asked for only from a real MongoDB.
	if !st.isFerretDB(ctx) {
		sess, err := st.client.StartSession(options.Session().SetSnapshot(true))
		if err != nil {
			return nil, fmt.Errorf("start a snapshot session: %w", err)
		}
		defer sess.EndSession(context.WithoutCancel(ctx))
		readCtx, info.Consistency = mongo.NewSessionContext(ctx, sess), "snapshot"
	}
	gz := gzip.NewWriter(w)
	bw := bufio.NewWriter(gz)
	line := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		_, err = bw.Write(append(b, '\n'))
		return err
	}
	if err := line(backupHeader{Format: backupFormat, Version: 1, Database: st.db.Name(), CreatedAt: time.Now().UTC(), Consistency: info.Consistency}); err != nil {
		return nil, err
	}
	total := 0
	for _, name := range names {
		col := st.db.Collection(name)
		// Documents are buffered per collection so the count comes first.
		cur, err := col.Find(readCtx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return nil, wrap(err, "read "+name)
		}
		var docs [][]byte
		for cur.Next(readCtx) {
			ext, err := bson.MarshalExtJSON(cur.Current, true, false)
			if err != nil {
				_ = cur.Close(ctx)
				return nil, fmt.Errorf("encode a document of %s: %w", name, err)
			}
			docs = append(docs, ext)
		}
		if err := cur.Err(); err != nil {
			return nil, wrap(err, "read "+name)
		}
		_ = cur.Close(ctx)
		if err := line(backupSection{Collection: name, Count: len(docs)}); err != nil {
			return nil, err
		}
		for _, d := range docs {
			if _, err := bw.Write(append(d, '\n')); err != nil {
				return nil, err
			}
		}
		info.Collections[name] = len(docs)
		total += len(docs)
	}
	if err := line(backupEnd{End: true, Collections: len(names), Documents: total}); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return info, gz.Close()
}

// Restore loads a backup into the database, which must have no documents
// in any of the backup's collections. Indexes are those Canvass creates at
// start-up (Open made them already).
func (st *Store) Restore(ctx context.Context, r io.Reader) (*BackupInfo, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a Canvass backup (not gzip): %w", err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	next := func() ([]byte, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return nil, err
			}
			return nil, errors.New("the backup ends early (truncated?)")
		}
		return sc.Bytes(), nil
	}
	first, err := next()
	if err != nil {
		return nil, err
	}
	var head backupHeader
	if json.Unmarshal(first, &head) != nil || head.Format != backupFormat {
		return nil, errors.New("not a Canvass backup")
	}
	if head.Version != 1 {
		return nil, fmt.Errorf("backup format version %d is newer than this canvass understands", head.Version)
	}
	// Read everything first: nothing is written unless the whole file is sound.
	sections := map[string][]bson.D{}
	var order []string
	for {
		b, err := next()
		if err != nil {
			return nil, err
		}
		var end backupEnd
		if json.Unmarshal(b, &end) == nil && end.End {
			n := 0
			for _, docs := range sections {
				n += len(docs)
			}
			if end.Collections != len(order) || end.Documents != n {
				return nil, fmt.Errorf("the backup is inconsistent: it announces %d documents in %d collections and holds %d in %d", end.Documents, end.Collections, n, len(order))
			}
			break
		}
		var sec backupSection
		if err := json.Unmarshal(b, &sec); err != nil || sec.Collection == "" {
			return nil, errors.New("the backup is damaged: expected a collection header")
		}
		docs := make([]bson.D, 0, sec.Count)
		for i := 0; i < sec.Count; i++ {
			line, err := next()
			if err != nil {
				return nil, err
			}
			var d bson.D
			if err := bson.UnmarshalExtJSON(line, true, &d); err != nil {
				return nil, fmt.Errorf("the backup is damaged: document %d of %s: %w", i+1, sec.Collection, err)
			}
			docs = append(docs, d)
		}
		sections[sec.Collection] = docs
		order = append(order, sec.Collection)
	}
	for _, name := range order {
		n, err := st.db.Collection(name).CountDocuments(ctx, bson.D{})
		if err != nil {
			return nil, wrap(err, "count "+name)
		}
		if n > 0 {
			return nil, fmt.Errorf("restore needs an empty database, and %s.%s has %d documents (use another CANVASS_DB, or drop it first)", st.db.Name(), name, n)
		}
	}
	info := &BackupInfo{Collections: map[string]int{}, Consistency: head.Consistency}
	for _, name := range order {
		docs := sections[name]
		for start := 0; start < len(docs); start += 500 {
			batch := make([]any, 0, 500)
			for _, d := range docs[start:min(start+500, len(docs))] {
				batch = append(batch, d)
			}
			if _, err := st.db.Collection(name).InsertMany(ctx, batch); err != nil {
				return nil, wrap(err, "restore "+name)
			}
		}
		info.Collections[name] = len(docs)
	}
	return info, nil
}

// isFerretDB reports whether the server is FerretDB (the embedded one),
// which says so in buildInfo.
func (st *Store) isFerretDB(ctx context.Context) bool {
	var info bson.M
	if err := st.client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return false
	}
	_, ok := info["ferretdbVersion"]
	if !ok {
		_, ok = info["ferretdb"]
	}
	return ok
}
