package nitro

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// hostileReplies are broken or hostile answers an appliance or a proxy may give.
var hostileReplies = []struct {
	name   string
	status int
	body   string
	want   string
}{
	{"truncated JSON", 200, `{"errorcode":0,"mpsuser":[{"id":"1","name":"a`, `HTTP 200: not NITRO JSON: no Content-Type, body "{\"errorcode\":0`},
	{"wrong types", 200, `{"errorcode":0,"mpsuser":[{"id":7,"name":true}]}`, "HTTP 200: the appliance sent a reply that is not the expected NITRO JSON"},
	{"wrong envelope type", 200, `{"errorcode":0,"mpsuser":{"id":"1"}}`, "not the expected NITRO JSON"},
	{"missing envelope", 200, `{}`, "the reply held no object"},
	{"empty success", 200, ``, "the reply held no object"},
	{"HTML error page", 502, `<html><body><h1>502 Bad Gateway</h1></body></html>`, "HTTP 502"},
	{"HTML on success", 200, `<html>login page</html>`, `HTTP 200: not NITRO JSON: no Content-Type, body "<html>login page</html>"`},
	{"error in a 200", 200, `{"errorcode":1097,"message":"Invalid argument","severity":"ERROR"}`, "NITRO errorcode 1097: Invalid argument"},
	{"errorcode as string", 400, `{"errorcode":"1092","message":"bad"}`, "NITRO errorcode 1092: bad"},
	{"null", 200, `null`, "the reply held no object"},
}

func TestHostileRepliesGiveClearErrors(t *testing.T) {
	for _, tc := range hostileReplies {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeReplyForUser(tc.status, tc.body)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if IsNotFound(err) {
				t.Fatalf("a broken reply must not read as 'gone' (Terraform would forget the user): %v", err)
			}
		})
	}
}

func decodeReplyForUser(status int, body string) (*User, error) {
	var reply userEnvelope
	if _, err := decodeReply("mpsuser get", &transport.Response{StatusCode: status, Header: http.Header{}, Body: []byte(body)}, &reply); err != nil {
		return nil, err
	}
	return single("mpsuser get", reply.Users)
}

func TestHugeReplyIsRefused(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/login") {
			_, _ = w.Write([]byte(`{"errorcode":0,"login":[{"sessionid":"s"}]}`))
			return
		}
		_, _ = w.Write([]byte(`{"errorcode":0,"mpsuser":[` + strings.Repeat(`{"id":"x"},`, 10000) + `{}]}`))
	}))
	defer server.Close()
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, MaxBodyBytes: 4096, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetUser(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "larger than 4096 bytes") {
		t.Fatalf("got %v", err)
	}
}

func FuzzDecodeUserReply(f *testing.F) {
	for _, tc := range hostileReplies {
		f.Add(tc.status, []byte(tc.body))
	}
	f.Add(200, []byte(`{"errorcode":0,"message":"Done","mpsuser":[{"id":"1","name":"a","groups":"x,y","session_timeout":"5"}]}`))
	f.Add(200, []byte(dialectReplies[0].typed))
	f.Add(200, []byte(dialectReplies[0].texts))
	f.Add(200, []byte(`{"errorcode":"0","mpsuser":[{"id":"1","encrypted":"","session_timeout":null,"is_default":"yes"}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		user, err := decodeReplyForUser(status, string(body))
		if err == nil && user == nil {
			t.Fatal("no error and no user")
		}
	})
}

func FuzzDecodeSessionReply(f *testing.F) {
	f.Add(200, []byte(`{"errorcode":0,"mpssession":[{"id":"1","username":"a","port":"443","login_time":1700000000,"is_self":true}]}`))
	f.Add(404, []byte(`{"errorcode":258,"message":"No such resource"}`))
	f.Add(200, []byte(`{"mpssession":[{"port":{}}]}`))
	f.Add(503, []byte(`<html>unavailable</html>`))
	f.Add(200, []byte(dialectReplies[1].typed))
	f.Add(200, []byte(dialectReplies[1].texts))
	for _, isSelf := range []string{`"False"`, `""`, `null`, `"no"`, `0`, `[]`} {
		f.Add(200, []byte(`{"errorcode":0,"mpssession":[{"id":"1","is_external_auth":"","is_self":`+isSelf+`}]}`))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var reply sessionEnvelope
		if _, err := decodeReply("mpssession list", &transport.Response{StatusCode: status, Header: http.Header{}, Body: body}, &reply); err != nil {
			return
		}
		_, _ = single("mpssession get", reply.Sessions)
		// A session reads as someone else's only when is_self says false in so many words.
		var raw struct {
			Sessions []map[string]json.RawMessage `json:"mpssession"`
		}
		if json.Unmarshal(body, &raw) != nil {
			return
		}
		for i, session := range reply.Sessions {
			if session.IsSelf || i >= len(raw.Sessions) {
				continue
			}
			var isSelf any
			_ = json.Unmarshal(raw.Sessions[i]["is_self"], &isSelf)
			if text, ok := isSelf.(string); isSelf != false && (!ok || !strings.EqualFold(text, "false")) {
				t.Fatalf("is_self %s read as someone else's session", raw.Sessions[i]["is_self"])
			}
		}
	})
}

func FuzzDecodeLogin(f *testing.F) {
	f.Add(200, []byte(`{"errorcode":0,"login":[{"sessionid":"##ABC","expire_after":"1800"}]}`), "NITRO_AUTH_TOKEN=##ABC")
	f.Add(401, []byte(`{"errorcode":354,"message":"Invalid username or password"}`), "")
	f.Add(200, []byte(`{"login":[]}`), "")
	f.Add(200, []byte(`{"login":"x"}`), "junk")
	f.Add(200, []byte(dialectReplies[2].typed), "")
	f.Add(200, []byte(dialectReplies[2].texts), "")
	f.Add(200, []byte(`{"errorcode":"0","login":[{"sessionid":"##S","expire_after":"","timeout":"600"}]}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, cookie string) {
		header := http.Header{}
		if cookie != "" {
			header.Set("Set-Cookie", cookie)
		}
		sessionID, _, err := decodeLogin("nsroot", &transport.Response{StatusCode: status, Header: header, Body: body})
		if err == nil && sessionID == "" {
			t.Fatal("sign-in succeeded without a session id")
		}
	})
}

func TestWarningsOn209(t *testing.T) {
	header := http.Header{}
	header.Add("X-NITRO-WARNING", "The user will be locked after 3 failed sign-ins")
	var reply userEnvelope
	warnings, err := decodeReply("mpsuser add", &transport.Response{StatusCode: statusWarned, Header: header, Body: []byte(`{"errorcode":0,"mpsuser":[{"id":"1"}]}`)}, &reply)
	if err != nil || len(warnings) != 1 || warnings[0] != "The user will be locked after 3 failed sign-ins" || len(reply.Users) != 1 {
		t.Fatalf("warnings %v, err %v, users %d", warnings, err, len(reply.Users))
	}
}

// TestNonJSONRepliesAreDescribed: a proxy's login page answered with 200 and a
// redirect to a sign-on portal, whether in place of the sign-in, a read or a delete,
// give errors that name the status, the content type, a snippet and the redirect's
// host; neither is a success.
func TestNonJSONRepliesAreDescribed(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		location string
		want     string
	}{
		{"login page", 200, "", `HTTP 200: not NITRO JSON: Content-Type "text/html; charset=utf-8", body "<html><title>Proxy sign-in</title></html>"`},
		{"redirect", 302, "https://sso.example.net/auth?ticket=t0ken", `HTTP 302: not NITRO JSON: a redirect to sso.example.net, Content-Type "text/html; charset=utf-8", body "<html>`},
	} {
		for _, hostile := range []string{"/nitro/v1/config/login", "/nitro/v2/config/mpsuser/7"} {
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != hostile {
					_, _ = w.Write([]byte(`{"errorcode":0,"login":[{"sessionid":"s"}]}`))
					return
				}
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`<html><title>Proxy sign-in</title></html>`))
			}))
			client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
			if err != nil {
				t.Fatal(err)
			}
			_, getErr := client.GetUser(context.Background(), "7")
			_, deleteErr := client.DeleteUser(context.Background(), "7")
			server.Close()
			for operation, err := range map[string]error{"get": getErr, "delete": deleteErr} {
				if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "t0ken") {
					t.Errorf("%s in place of %s, %s: got %v\nwant it to contain %s", tc.name, hostile, operation, err, tc.want)
				}
			}
		}
	}
}

// TestNoGroupsDecodeAlike: null, [], "" and an absent field are all "no groups".
func TestNoGroupsDecodeAlike(t *testing.T) {
	for _, groups := range []string{`"groups":null,`, `"groups":[],`, `"groups":"",`, ``} {
		user, err := decodeReplyForUser(200, `{"errorcode":0,"mpsuser":[{`+groups+`"id":"1"}]}`)
		if err != nil || len(user.Groups) != 0 {
			t.Errorf("%s: %v, %v", groups, user, err)
		}
	}
}
