package runner

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ddlmig/ddlmig/internal/testdb"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

const secret = "s3cr;et P@ss"

// fakeAuthServer speaks just enough of the protocol to ask for a password
// and reject it as PostgreSQL does. The test server trusts every local
// connection, so a real wrong-password failure cannot be produced there;
// this exercises the same client path (pgx's authentication exchange and
// the server's FATAL 28P01) and checks that the password, which pgx does
// send, never appears in the error.
func fakeAuthServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				be := pgproto3.NewBackend(c, c)
				for {
					msg, err := be.ReceiveStartupMessage()
					if err != nil {
						return
					}
					switch m := msg.(type) {
					case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
						c.Write([]byte("N"))
						continue
					case *pgproto3.StartupMessage:
						be.Send(&pgproto3.AuthenticationCleartextPassword{})
						be.Flush()
						be.SetAuthType(pgproto3.AuthTypeCleartextPassword)
						if _, err := be.Receive(); err != nil {
							return
						}
						be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01",
							Message: `password authentication failed for user "` + m.Parameters["user"] + `"`})
						be.Flush()
						return
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String()
}

// closedPort returns an address where nothing listens.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestConnectErrors(t *testing.T) {
	testdb.Require(t)
	fake := fakeAuthServer(t)
	closed := closedPort(t)
	server := testdb.ServerURL()
	userinfo := url.UserPassword("bob", secret).String()
	cases := []struct {
		name  string
		url   string
		parts []string
		code  string // SQLSTATE reachable through errors.As, if any
	}{{
		name:  "wrong password (URL)",
		url:   "postgres://" + userinfo + "@" + fake + "/app?sslmode=disable",
		parts: []string{`cannot connect to database "app" on ` + fake + ` as user "bob": authentication failed`, "check the user and password"},
		code:  "28P01",
	}, {
		name:  "wrong password (key=value)",
		url:   "host=" + strings.Split(fake, ":")[0] + " port=" + strings.Split(fake, ":")[1] + " user=bob password='" + secret + "' dbname=app sslmode=prefer",
		parts: []string{"authentication failed"},
		code:  "28P01",
	}, {
		name:  "unreachable server",
		url:   "postgres://" + userinfo + "@" + closed + "/app",
		parts: []string{`cannot connect to database "app" on ` + closed, "connection refused; is PostgreSQL running"},
	}, {
		name:  "database does not exist",
		url:   testdb.WithDatabase(server, "ddlmig_no_such_db"),
		parts: []string{`cannot connect to database "ddlmig_no_such_db"`, "the database does not exist", "createdb ddlmig_no_such_db"},
		code:  "3D000",
	}, {
		name:  "malformed URL",
		url:   "postgres://bob:" + secret + "@host:notaport/app",
		parts: []string{"bad database URL postgres://bob:xxxxx@host:notaport/app: "},
	}, {
		name:  "unknown host",
		url:   "postgres://" + userinfo + "@no-such-host.invalid/app?connect_timeout=5",
		parts: []string{`on no-such-host.invalid:5432`},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			conn, err := Connect(ctx, c.url)
			if err == nil {
				conn.Close(ctx)
				t.Fatal("connected")
			}
			msg := err.Error()
			for _, p := range c.parts {
				if !strings.Contains(msg, p) {
					t.Errorf("error lacks %q:\n%s", p, msg)
				}
			}
			for _, leak := range []string{secret, "s3cr", "P@", "@ss", "P%40ss"} {
				for e := error(err); e != nil; e = errors.Unwrap(e) {
					if strings.Contains(e.Error(), leak) {
						t.Errorf("password fragment %q in error chain: %s", leak, e)
					}
				}
			}
			if c.code != "" {
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != c.code {
					t.Errorf("want SQLSTATE %s through errors.As, got %v", c.code, err)
				}
			}
			t.Log(msg)
		})
	}
}

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"postgres://bob:hunter2@db:5432/app", "postgres://bob:xxxxx@db:5432/app"},
		{"postgres://bob:p%40ss%2Fw@db/app", "postgres://bob:xxxxx@db/app"},
		{"postgresql://bob@db/app?password=hunter2&sslmode=require", "postgresql://bob@db/app?password=xxxxx&sslmode=require"},
		{"host=db user=bob password=hunter2 dbname=app", "host=db user=bob password=xxxxx dbname=app"},
		{"host=db password='two words' dbname=app", "host=db password='xxxxx' dbname=app"},
		{"postgres://bob@db/app", "postgres://bob@db/app"},
	}
	for _, c := range cases {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
