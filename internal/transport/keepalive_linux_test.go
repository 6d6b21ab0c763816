//go:build linux

package transport

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"syscall"
	"testing"
)

// TestIdleConnectionsProbeTheApplianceAfter30s: a connection kept alive between calls
// sends TCP keep-alive probes once it has been idle 30s (then at Go's own interval), so
// a connection to an appliance that went away is found dead instead of hanging the next
// call. The socket says so itself; no wait is involved.
func TestIdleConnectionsProbeTheApplianceAfter30s(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer server.Close()
	var conn net.Conn
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) { conn = info.Conn },
	})
	client, err := New(Config{Endpoint: server.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Do(ctx, getX); err != nil {
		t.Fatal(err)
	}
	tcp, ok := conn.(*net.TCPConn)
	if !ok {
		t.Fatalf("connection %T, want TCP", conn)
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	option := map[string]int{}
	var errs []error
	if err := raw.Control(func(fd uintptr) {
		for name, opt := range map[string][2]int{
			"keep-alive":      {syscall.SOL_SOCKET, syscall.SO_KEEPALIVE},
			"idle seconds":    {syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE},
			"seconds between": {syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL},
		} {
			value, err := syscall.GetsockoptInt(int(fd), opt[0], opt[1])
			option[name] = value
			errs = append(errs, err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if option["keep-alive"] == 0 || option["idle seconds"] != 30 {
		t.Errorf("keep-alive %v; want probes after 30s idle", option)
	}
}
