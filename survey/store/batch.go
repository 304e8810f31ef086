package store

import (
	"context"
	"errors"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// maxBatch bounds one insertMany.
const maxBatch = 256

// inserter groups concurrent response inserts into one insertMany (group
// commit). The database then commits, and syncs to disk, once per batch
// instead of once per response. A lone insert is sent at once: a batch is
// whatever queued while the previous one was being written, so nothing
// waits for a timer. Each caller still learns its own document's outcome.
type inserter struct {
	col   *mongo.Collection
	queue chan *pendingInsert
	stop  chan struct{}
	done  sync.WaitGroup
}

type pendingInsert struct {
	doc any
	// result receives nil, the document's own write error (a duplicate
	// key, say), or the error of the whole batch.
	result chan error
}

func newInserter(col *mongo.Collection) *inserter {
	in := &inserter{col: col, queue: make(chan *pendingInsert, 4*maxBatch), stop: make(chan struct{})}
	in.done.Add(1)
	go in.run()
	return in
}

// insert queues doc and waits for it to be written.
func (in *inserter) insert(ctx context.Context, doc any) error {
	p := &pendingInsert{doc: doc, result: make(chan error, 1)}
	select {
	case in.queue <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-in.stop:
		return mongo.ErrClientDisconnected
	}
	select {
	case err := <-p.result:
		return err
	case <-ctx.Done():
		// The insert may still happen; a retry with the same submission
		// id finds it, so nothing is doubled.
		return ctx.Err()
	}
}

func (in *inserter) run() {
	defer in.done.Done()
	batch := make([]*pendingInsert, 0, maxBatch)
	for {
		select {
		case p := <-in.queue:
			batch = append(batch[:0], p)
		case <-in.stop:
			return
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case p := <-in.queue:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		in.write(batch)
	}
}

func (in *inserter) write(batch []*pendingInsert) {
	docs := make([]any, len(batch))
	for i, p := range batch {
		docs[i] = p.doc
	}
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	_, err := in.col.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bulk mongo.BulkWriteException
	if err != nil && errors.As(err, &bulk) && bulk.WriteConcernError == nil && len(bulk.WriteErrors) > 0 {
		// Per-document errors: the others were written.
		perDoc := make([]error, len(batch))
		for _, we := range bulk.WriteErrors {
			if we.Index >= 0 && we.Index < len(batch) {
				perDoc[we.Index] = mongo.WriteException{WriteErrors: []mongo.WriteError{we.WriteError}}
			}
		}
		for i, p := range batch {
			p.result <- perDoc[i]
		}
		return
	}
	for _, p := range batch {
		p.result <- err
	}
}

// close stops the writer after the batch in progress.
func (in *inserter) close() {
	close(in.stop)
	in.done.Wait()
	// Anyone still queued is told the store is closed.
	for {
		select {
		case p := <-in.queue:
			p.result <- mongo.ErrClientDisconnected
		default:
			return
		}
	}
}
