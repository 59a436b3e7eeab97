// Command online is the load generator of scripts/bench-online (issue 17's
// "Measure it"): it puts a constant write load on a table, runs a command
// (a migration) meanwhile, and prints how long the writes waited during
// it, next to the same load's waits before it started.
//
//	go run ./bench/online -url URL -case NAME [flags] [-- command args...]
//
// Four clients (-clients) each write -rate times a second, alternately
// inserting a row into events and updating a random existing one. After
// -warmup of the load alone (the baseline), an optional long transaction
// takes a lock on events for -hold (-hold-lock, ACCESS SHARE by default:
// a report reading the table) and the command starts -hold-lead later; the
// load runs on for -cooldown after it ends. Without a command it idles for
// -idle instead: the baseline case, the load's own waits over a window as
// long as a migration's. The rows are counted before and after: lost is
// the successful inserts missing from the table.
//
// It prints one line in the format of go test -bench, which
// scripts/bench-online sums up into medians:
//
//	BenchmarkOnline/NAME 1 MAX max-ms P99 p99-ms ... migration-ms
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ddlmig/ddlmig/internal/writeload"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/online:", err)
		os.Exit(1)
	}
}

type config struct {
	url, name, holdLock                string
	clients, rate                      int
	warmup, cooldown, idle, hold, lead time.Duration
	command                            []string
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.url, "url", os.Getenv("DATABASE_URL"), "database holding events and accounts")
	flag.StringVar(&c.name, "case", "run", "name of the case in the output")
	flag.IntVar(&c.clients, "clients", 4, "writing clients, one connection each")
	flag.IntVar(&c.rate, "rate", 100, "writes per second per client")
	flag.DurationVar(&c.warmup, "warmup", 3*time.Second, "load alone before the command (the baseline)")
	flag.DurationVar(&c.cooldown, "cooldown", time.Second, "load after the command")
	flag.DurationVar(&c.idle, "idle", 10*time.Second, "without a command: how long to measure the load alone")
	flag.DurationVar(&c.hold, "hold", 0, "a transaction holds a lock on events this long when the command starts")
	flag.StringVar(&c.holdLock, "hold-lock", "ACCESS SHARE", "the lock mode that transaction takes")
	flag.DurationVar(&c.lead, "hold-lead", 200*time.Millisecond, "how long the transaction runs before the command starts")
	flag.Parse()
	c.command = flag.Args()
	return c
}

func run() error {
	c := parseFlags()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, c.url)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	var rows0, maxID int64
	if err := admin.QueryRow(ctx, "SELECT count(*), max(id) FROM events").Scan(&rows0, &maxID); err != nil {
		return err
	}
	var accounts int64
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM accounts").Scan(&accounts); err != nil {
		return err
	}

	conns := make([]*pgx.Conn, c.clients)
	for i := range conns {
		if conns[i], err = pgx.Connect(ctx, c.url); err != nil {
			return err
		}
		defer conns[i].Close(ctx)
	}
	load := writeload.Start(ctx, conns, time.Second/time.Duration(c.rate), write(maxID, accounts))
	time.Sleep(c.warmup)
	base := load.Since()

	holder, err := c.startHold(ctx)
	if err != nil {
		load.Stop()
		return err
	}
	from := load.Since()
	t0 := time.Now()
	cmdErr := c.runCommand()
	took := time.Since(t0)
	to := load.Since()
	if holder != nil {
		if err := <-holder; err != nil {
			load.Stop()
			return err
		}
	}
	time.Sleep(c.cooldown)
	ws := load.Stop()
	if cmdErr != nil {
		return fmt.Errorf("%s: %w", c.command, cmdErr)
	}

	var rows1 int64
	if err := admin.QueryRow(ctx, "SELECT count(*) FROM events").Scan(&rows1); err != nil {
		return err
	}
	all := writeload.Summarize(ws, writeload.All)
	during := writeload.Summarize(ws, writeload.Overlapping(from, to))
	before := writeload.Summarize(ws, writeload.Before(base))
	c.logSlowest(ws, from, to)
	fmt.Printf("BenchmarkOnline/%s 1 %.1f max-ms %.1f p99-ms %.1f base-max-ms %.1f base-p99-ms %d writes %d failed %d lost %.0f migration-ms\n",
		c.name, ms(during.Max), ms(during.P99), ms(before.Max), ms(before.P99),
		during.Writes, all.Failed, int64(all.Inserted)-(rows1-rows0), ms(took))
	return nil
}

// logSlowest writes the five longest waits during the command to stderr,
// as offsets from its start, to be matched with the migration's own log.
func (c config) logSlowest(ws []writeload.Write, from, to time.Duration) {
	keep := writeload.Overlapping(from, to)
	var slow []writeload.Write
	for _, w := range ws {
		if keep(w) {
			slow = append(slow, w)
		}
	}
	slices.SortFunc(slow, func(a, b writeload.Write) int { return cmp.Compare(b.Took, a.Took) })
	fmt.Fprintf(os.Stderr, "%s: command took %.0f ms; longest writes:", c.name, ms(to-from))
	for _, w := range slow[:min(5, len(slow))] {
		fmt.Fprintf(os.Stderr, " %.0f ms at %+.2fs", ms(w.Took), (w.At - from).Seconds())
	}
	fmt.Fprintln(os.Stderr)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// write alternates an insert (a new event of a random account) and an
// update of a random row that was there before the load.
func write(maxID, accounts int64) writeload.Op {
	return func(ctx context.Context, conn *pgx.Conn, client, i int) (bool, error) {
		if i%2 == 0 {
			_, err := conn.Exec(ctx, "INSERT INTO events (account_id, amount, note) VALUES ($1, $2, 'load')",
				1+rand.Int64N(accounts), rand.IntN(1000))
			return true, err
		}
		_, err := conn.Exec(ctx, "UPDATE events SET amount = amount + 1 WHERE id = $1", 1+rand.Int64N(maxID))
		return false, err
	}
}

// startHold begins the long transaction, if any, and returns a channel that
// reports its commit -hold later. The command starts -hold-lead after the
// lock was taken.
func (c config) startHold(ctx context.Context) (<-chan error, error) {
	if c.hold <= 0 {
		return nil, nil
	}
	conn, err := pgx.Connect(ctx, c.url)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "BEGIN; LOCK TABLE events IN "+c.holdLock+" MODE"); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() {
		defer conn.Close(ctx)
		time.Sleep(c.hold)
		_, err := conn.Exec(ctx, "COMMIT")
		done <- err
	}()
	time.Sleep(c.lead)
	return done, nil
}

func (c config) runCommand() error {
	if len(c.command) == 0 {
		time.Sleep(c.idle)
		return nil
	}
	cmd := exec.Command(c.command[0], c.command[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}
