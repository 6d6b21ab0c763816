// Command accessplane-mock serves the in-memory mock of the NITRO, Dynatrace Cluster
// and Nimble APIs, for `make demo` and for trying configurations without an appliance.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
)

func main() {
	var (
		listen       = flag.String("listen", "127.0.0.1:0", "address to listen on; port 0 picks a free port")
		useTLS       = flag.Bool("tls", false, "serve HTTPS with a self-signed certificate (use insecure_skip_verify)")
		addrFile     = flag.String("addr-file", "", "write the base URL to this file once listening")
		opts         mock.Options
		latency      = flag.Duration("latency", 0, "delay every reply by this much")
		failureRate  = flag.Float64("failure-rate", 0, "fraction (0-1) of requests answered with 503")
		seedUsers    = flag.Int("seed-users", 0, "add this many users named seed-0001…")
		seedTokens   = flag.Int("seed-tokens", 0, "add this many Nimble session tokens")
		seedSessions = flag.Int("seed-sessions", 0, "add this many ADM browser sessions")
		seedCluster  = flag.Int("seed-cluster-sessions", 0, "add this many Dynatrace cluster sessions, spread over the seeded users as <user>@example.com")
		seedPeople   = flag.String("seed-people", "", "comma-separated names of people signed in everywhere, someone to sign out: each gets 2 ADM sessions, 3 Dynatrace sessions as <name>@example.com and 2 Nimble tokens")
		persistent   = flag.String("persistent-fault", "", `answer every request to one route with one status, as "POST /nitro/v2/config/mpsuser=429"`)
	)
	flag.StringVar(&opts.ADMUsername, "adm-username", "nsroot", "NITRO user that can sign in")
	flag.StringVar(&opts.ADMPassword, "adm-password", "nsroot", "its password")
	flag.StringVar(&opts.ClusterAPIToken, "cluster-token", "mock-cluster-token", "Cluster API token with ServiceProviderAPI")
	flag.StringVar(&opts.NimbleUsername, "nimble-username", "admin", "Nimble user that can sign in")
	flag.StringVar(&opts.NimblePassword, "nimble-password", "admin", "its password")
	flag.Func("nimble-user", "a further Nimble user who can sign in, as name:password (repeatable): a person to sign out", func(value string) error {
		name, password, ok := strings.Cut(value, ":")
		if !ok || name == "" || password == "" {
			return fmt.Errorf("want name:password, got %q", value)
		}
		if opts.NimbleUsers == nil {
			opts.NimbleUsers = map[string]string{}
		}
		opts.NimbleUsers[name] = password
		return nil
	})
	flag.DurationVar(&opts.SessionLifetime, "session-lifetime", 30*time.Minute, "idle lifetime of a NITRO session")
	flag.StringVar(&opts.ADMGeneration, "adm-generation", mock.GenerationCurrent, "current (mpssession at NITRO v2 with filter and paging) or legacy (v1 only, query parameters ignored)")
	flag.StringVar(&opts.UserPaging, "user-paging", mock.PagingExact, "how mpsuser lists page: exact, ignored (every user in every reply) or overlapping (each page repeats the last users of the one before)")
	flag.StringVar(&opts.NITRODialect, "nitro-dialect", mock.DialectStrings, "how NITRO replies carry numbers and booleans: strings (\"10\", \"true\", as ADM sends them) or typed (as the API reference pages show them)")
	flag.Parse()
	if opts.ADMGeneration != mock.GenerationCurrent && opts.ADMGeneration != mock.GenerationLegacy {
		log.Fatalf("-adm-generation must be %s or %s", mock.GenerationCurrent, mock.GenerationLegacy)
	}
	if opts.NITRODialect != mock.DialectStrings && opts.NITRODialect != mock.DialectTyped {
		log.Fatalf("-nitro-dialect must be %s or %s", mock.DialectStrings, mock.DialectTyped)
	}
	if opts.UserPaging != mock.PagingExact && opts.UserPaging != mock.PagingIgnored && opts.UserPaging != mock.PagingOverlapping {
		log.Fatalf("-user-paging must be %s, %s or %s", mock.PagingExact, mock.PagingIgnored, mock.PagingOverlapping)
	}

	server := mock.New(opts)
	server.SetLatency(*latency)
	if *failureRate > 0 {
		server.SetFailureRate(*failureRate, uint64(time.Now().UnixNano()))
	}
	if *persistent != "" {
		route, status, ok := strings.Cut(*persistent, "=")
		code, err := strconv.Atoi(status)
		if !ok || err != nil || code < 400 || code > 599 {
			log.Fatalf("-persistent-fault %q: expected \"<METHOD> <route>=<4xx or 5xx status>\"", *persistent)
		}
		server.InjectFault(mock.Fault{Route: route, Count: mock.Persistent, Status: code})
	}
	server.SeedUsers("seed", *seedUsers)
	server.SeedTokens(mock.TokenSeed{Count: *seedTokens})
	for i := 0; i < *seedSessions; i++ {
		server.SeedSession(mock.SessionSeed{Username: fmt.Sprintf("seed-%04d", i%max(*seedUsers, 1)+1)})
	}
	for i := 0; i < *seedCluster; i++ {
		server.SeedClusterSessions(mock.ClusterSessionSeed{UserID: fmt.Sprintf("seed-%04d@example.com", i%max(*seedUsers, 1)+1)})
	}
	for _, name := range strings.FieldsFunc(*seedPeople, func(r rune) bool { return r == ',' }) {
		server.SeedSession(mock.SessionSeed{Username: name})
		server.SeedSession(mock.SessionSeed{Username: name, ClientType: "API"})
		server.SeedClusterSessions(mock.ClusterSessionSeed{UserID: name + "@example.com", Count: 3, LoginType: "SSO_MANAGED"})
		server.SeedTokens(mock.TokenSeed{Count: 2, Username: name})
	}

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	scheme := "http"
	httpServer := &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second}
	if *useTLS {
		certificate, err := selfSignedCertificate()
		if err != nil {
			log.Fatal(err)
		}
		listener = tls.NewListener(listener, &tls.Config{Certificates: []tls.Certificate{certificate}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	url := scheme + "://" + listener.Addr().String()
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(url+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("accessplane mock listening on %s (ADM %s/%s, cluster token %s, Nimble %s/%s)",
		url, opts.ADMUsername, "***", "***", opts.NimbleUsername, "***")

	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
		<-stop
		_ = httpServer.Close()
	}()
	if err := httpServer.Serve(listener); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// selfSignedCertificate is a throwaway certificate for 127.0.0.1 and localhost.
func selfSignedCertificate() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "accessplane-mock"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
