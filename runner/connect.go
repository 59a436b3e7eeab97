package runner

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// Connect opens the single dedicated connection a Runner needs, from a
// libpq URL or key=value string. Errors are rewritten to say what went wrong
// in plain words (server unreachable, authentication failed, database
// missing) and never contain the password.
//
// The connection cancels a running statement on the server when ctx is
// cancelled (a CancelRequest, then a socket deadline if the server does not
// answer), so Ctrl-C rolls back the migration in progress; and it asks the
// server to check every second that the client is still there, so a killed
// ddlmig's transaction and lock are released promptly.
func Connect(ctx context.Context, connString string) (*pgx.Conn, error) {
	secrets := passwords(connString)
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		// pgx redacts what it can, but a malformed URL can defeat it:
		// print our own redaction and only pgx's reason.
		reason := err.Error()
		if i := strings.LastIndex(reason, "`: "); i >= 0 {
			reason = reason[i+3:]
		}
		// The pgx error is not wrapped: its text holds the string.
		return nil, errors.New(scrubString("bad database URL "+Redact(connString)+": "+reason, secrets))
	}
	return connectConfig(ctx, cfg, secrets)
}

// ConnectConfig is Connect for a parsed config (a scratch database's, which
// is built from the server's config rather than from a connection string).
func ConnectConfig(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	return connectConfig(ctx, cfg.Copy(), nil)
}

func connectConfig(ctx context.Context, cfg *pgx.ConnConfig, secrets []string) (*pgx.Conn, error) {
	if cfg.Password != "" {
		secrets = append(secrets, cfg.Password)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "ddlmig"
	}
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, CancelRequestDelay: 0, DeadlineDelay: 10 * time.Second}
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, scrub(connectError(cfg, err), secrets)
	}
	if serverMajor(conn) >= 14 {
		// Linux servers only; elsewhere the SET fails and is ignored.
		conn.Exec(ctx, `SET client_connection_check_interval = '1s'`)
	}
	return conn, nil
}

// serverMajor returns the server's major version, or 0 if unknown.
func serverMajor(conn *pgx.Conn) int {
	v := conn.PgConn().ParameterStatus("server_version")
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// ConnectError is a connection failure in plain words.
type ConnectError struct {
	Target string // "database \"app\" on 127.0.0.1:5432 as user \"app\""
	Reason string
	Err    error // scrubbed
}

func (e *ConnectError) Error() string {
	return "cannot connect to " + e.Target + ": " + e.Reason
}

func (e *ConnectError) Unwrap() error { return e.Err }

func connectError(cfg *pgx.ConnConfig, err error) error {
	target := fmt.Sprintf("database %q on %s as user %q", cfg.Database, net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)), cfg.User)
	if strings.HasPrefix(cfg.Host, "/") {
		target = fmt.Sprintf("database %q on socket %s (port %d) as user %q", cfg.Database, cfg.Host, cfg.Port, cfg.User)
	}
	ce := &ConnectError{Target: target, Err: err}
	var pe *pgconn.PgError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000"):
		ce.Reason = "authentication failed (" + pe.Message + "); check the user and password in the database URL, PGPASSWORD or ~/.pgpass"
	case errors.As(err, &pe) && pe.Code == "3D000":
		ce.Reason = fmt.Sprintf("the database does not exist (%s); create it first, e.g. createdb %s", pe.Message, cfg.Database)
	case errors.As(err, &pe):
		ce.Reason = describe(pe)
	case errors.Is(err, syscall.ECONNREFUSED):
		ce.Reason = "connection refused; is PostgreSQL running there and accepting TCP connections?"
	case errors.As(err, &dnsErr):
		ce.Reason = "unknown host: " + dnsErr.Error()
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		ce.Reason = "timed out; is the host reachable and the port right?"
	default:
		ce.Reason = err.Error()
	}
	return ce
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// passwords extracts password values from a connection string by syntax
// alone, so that even a string pgx cannot parse is scrubbed.
func passwords(connString string) []string {
	var out []string
	if u, err := url.Parse(connString); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if p, ok := u.User.Password(); ok {
			out = append(out, p)
		}
		for _, k := range []string{"password", "sslpassword"} {
			if p := u.Query().Get(k); p != "" {
				out = append(out, p)
			}
		}
	}
	for _, m := range kvPassword.FindAllStringSubmatch(connString, -1) {
		p := m[1]
		if strings.HasPrefix(p, "'") {
			p = strings.Trim(p, "'")
		}
		out = append(out, p)
	}
	if i := strings.Index(connString, "://"); i >= 0 {
		rest := connString[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, p, ok := strings.Cut(rest[:at], ":"); ok && p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

var kvPassword = regexp.MustCompile(`(?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)

// Redact returns connString with any password replaced by xxxxx, for
// messages that name the database.
func Redact(connString string) string {
	return scrubString(connString, passwords(connString))
}

func scrubString(s string, secrets []string) string {
	for _, p := range secrets {
		if p == "" {
			continue
		}
		s = strings.ReplaceAll(s, p, "xxxxx")
		if e := url.QueryEscape(p); e != p {
			s = strings.ReplaceAll(s, e, "xxxxx")
		}
		if e := url.PathEscape(p); e != p {
			s = strings.ReplaceAll(s, e, "xxxxx")
		}
		if e := url.UserPassword("u", p).String(); e != "u:"+p {
			s = strings.ReplaceAll(s, strings.TrimPrefix(e, "u:"), "xxxxx")
		}
	}
	return s
}

// scrubbed hides passwords in an error's text while keeping the chain for
// errors.Is and errors.As.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

func scrub(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := scrubString(err.Error(), secrets)
	var ce *ConnectError
	if errors.As(err, &ce) {
		ce.Err = &scrubbed{scrubString(ce.Err.Error(), secrets), ce.Err}
	}
	return &scrubbed{msg, err}
}

// ScrubError hides any password of connString in err's text, keeping the
// chain for errors.Is and errors.As. Commands pass every error through it
// before printing, whatever produced the error.
func ScrubError(err error, connString string) error {
	if err == nil {
		return nil
	}
	secrets := passwords(connString)
	if cfg, perr := pgx.ParseConfig(connString); perr == nil && cfg.Password != "" {
		secrets = append(secrets, cfg.Password)
	}
	if scrubString(err.Error(), secrets) == err.Error() {
		return err
	}
	return scrub(err, secrets)
}
