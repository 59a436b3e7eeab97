package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/ddlmig/ddlmig/migfile"
)

// batch is one part of a transactional file cut by batch markers: it runs
// in a transaction of its own, together with the migration's progress.
type batch struct {
	SQL string // the batch's text, from the end of the previous marker line
	Off int    // byte offset of SQL in the file
	// End is the offset of the marker line that ends the batch (the file's
	// length for the last batch): text[:End] is what has run once this
	// batch has committed.
	End int
}

// splitBatches cuts text at its batch marker lines. A file without markers
// is one batch.
func splitBatches(text string) []batch {
	marks := migfile.BatchMarkers([]byte(text))
	out := make([]batch, 0, len(marks)+1)
	start := 0
	for _, m := range marks {
		out = append(out, batch{SQL: text[start:m], Off: start, End: m})
		start = m
		for start < len(text) && text[start] != '\n' {
			start++
		}
		if start < len(text) {
			start++
		}
	}
	return append(out, batch{SQL: text[start:], Off: start, End: len(text)})
}

// prefixChecksum is the checksum recorded while a batched up file is
// partway: that of the text of its first done batches. A resumed run
// checks it, so that batches which already ran cannot have been edited.
func prefixChecksum(text string, done int) string {
	bs := splitBatches(text)
	if done <= 0 || done > len(bs) {
		return ""
	}
	return migfile.Checksum([]byte(text[:bs[done-1].End]))
}

// runBatches runs a batched transactional step: each batch in its own
// transaction together with the migration's progress in its row, starting
// after the st.Resume batches an earlier run committed.
//
// Going up, the row is written after the first batch with dirty set,
// batch = batches done, batch_file = the up file and checksum = that of the
// text run so far; the last batch makes it an ordinary applied row. Going
// down, each batch but the last records its progress in the same way, and
// the last deletes the row. A failing batch is rolled back entirely, so the
// row names exactly the batches that are applied and a later run resumes
// at the failing one.
func (r *Runner) runBatches(ctx context.Context, st Step) error {
	n := len(st.batches)
	for k := st.Resume + 1; k <= n; k++ {
		if k > st.Resume+1 {
			if err := ctx.Err(); err != nil {
				err = fmt.Errorf("interrupted before batch %d of %d of %s: %w", k, n, st.File, err)
				return &MigrationError{Version: st.Version, File: st.File, Batch: k, Batches: n, Direction: st.Direction, Err: err}
			}
		}
		b := st.batches[k-1]
		r.emit(Event{Kind: EventBatch, Step: st, Batch: k, Batches: n})
		book := r.batchBook(st, k, n)
		start := time.Now()
		if err := r.execTxRetry(ctx, st, b.SQL, b.Off, book); err != nil {
			if k > 1 {
				r.recordBatchFailure(ctx, st, k, n, err)
			}
			err.Batch, err.Batches, err.Direction = k, n, st.Direction
			return err
		}
		r.emit(Event{Kind: EventBatchDone, Step: st, Batch: k, Batches: n, Took: time.Since(start)})
	}
	return nil
}

// batchBook is the bookkeeping statement committed with batch k of n.
func (r *Runner) batchBook(st Step, k, n int) string {
	t := r.table
	if st.Direction == Down {
		if k == n {
			return t.deleteSQL(st.Version)
		}
		note := fmt.Sprintf("rolling back: %s of %d of %s %s applied; ddlmig down resumes at batch %d", firstBatches(k, ""), n, st.File, isAre(k), k+1)
		return fmt.Sprintf(`UPDATE %s SET dirty = true, batch = %d, batch_file = %s, failure = %s WHERE version = %d`,
			t, k, quoteLiteral(st.File), quoteLiteral(note), st.Version)
	}
	elapsed := "clock_timestamp() - now()"
	if k == n {
		return fmt.Sprintf(`INSERT INTO %[1]s AS m (version, name, checksum, applied_at, duration) VALUES (%[2]d, %[3]s, %[4]s, clock_timestamp(), %[5]s)
ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration = coalesce(m.duration, '0') + EXCLUDED.duration,
	dirty = false, failure = NULL, batch = NULL, batch_file = NULL`,
			t, st.Version, quoteLiteral(st.Name), quoteLiteral(st.Checksum), elapsed)
	}
	note := fmt.Sprintf("partly applied: %s of %d of %s %s applied; ddlmig apply resumes at batch %d", firstBatches(k, ""), n, st.File, isAre(k), k+1)
	sum := migfile.Checksum([]byte(st.SQL[:st.batches[k-1].End]))
	return fmt.Sprintf(`INSERT INTO %[1]s AS m (version, name, checksum, applied_at, duration, dirty, failure, batch, batch_file) VALUES (%[2]d, %[3]s, %[4]s, clock_timestamp(), %[5]s, true, %[6]s, %[7]d, %[8]s)
ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at, duration = coalesce(m.duration, '0') + EXCLUDED.duration,
	dirty = true, failure = EXCLUDED.failure, batch = EXCLUDED.batch, batch_file = EXCLUDED.batch_file`,
		t, st.Version, quoteLiteral(st.Name), quoteLiteral(sum), elapsed, quoteLiteral(note), k, quoteLiteral(st.File))
}

// recordBatchFailure writes why batch k failed into the row the earlier
// batches left, for status and for whoever looks next.
func (r *Runner) recordBatchFailure(ctx context.Context, st Step, k, n int, me *MigrationError) {
	verb := "apply"
	if st.Direction == Down {
		verb = "down"
	}
	failure := fmt.Sprintf("batch %d of %d failed and was rolled back (%s applied; ddlmig %s resumes at batch %d): %s:%d:%d: %s",
		k, n, firstBatches(k-1, "is"), verb, k, st.File, me.Line, me.Col, describe(me.Err))
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	r.conn.PgConn().Exec(c, fmt.Sprintf(`UPDATE %s SET failure = %s WHERE version = %d`, r.table, quoteLiteral(failure), st.Version)).Close()
}
