package nitro

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/mock"
	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// Each object as a real ADM sends it (numbers and booleans as strings) and as the API
// reference pages show it (typed): both decode to the same values.
var dialectReplies = []struct {
	object       string
	typed, texts string
}{
	{"mpsuser",
		`{"errorcode":0,"mpsuser":[{"id":"1","name":"a","groups":["admin"],"external_authentication":false,"enable_session_timeout":true,"session_timeout":10,"is_default":false,"issuperuser":true,"force_change_password":false,"encrypted":true,"unlock":false}]}`,
		`{"errorcode":0,"mpsuser":[{"id":"1","name":"a","groups":["admin"],"external_authentication":"false","enable_session_timeout":"true","session_timeout":"10","is_default":"false","issuperuser":"true","force_change_password":"false","encrypted":"true","unlock":"false"}]}`},
	{"mpssession",
		`{"errorcode":0,"mpssession":[{"id":"s1","username":"a","port":443,"is_external_auth":true,"is_self":false,"login_time":1700000000,"last_activity_time":1700000060,"expire_after":1740,"session_timeout":1800}]}`,
		`{"errorcode":0,"mpssession":[{"id":"s1","username":"a","port":"443","is_external_auth":"true","is_self":"false","login_time":"1700000000","last_activity_time":"1700000060","expire_after":"1740","session_timeout":"1800"}]}`},
	{"login",
		`{"errorcode":0,"login":[{"sessionid":"##S","expire_after":1800}]}`,
		`{"errorcode":0,"login":[{"sessionid":"##S","expire_after":"1800"}]}`},
	{"__count",
		`{"errorcode":0,"mpsuser":[{"__count":26}]}`,
		`{"errorcode":0,"mpsuser":[{"__count":"26"}]}`},
}

// decodeObject decodes a reply as the client does for object.
func decodeObject(t *testing.T, object, body string) any {
	t.Helper()
	resp := &transport.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: []byte(body)}
	switch object {
	case "mpsuser":
		user, err := decodeReplyForUser(http.StatusOK, body)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return *user
	case "mpssession":
		var reply sessionEnvelope
		if _, err := decodeReply("mpssession get", resp, &reply); err != nil || len(reply.Sessions) != 1 {
			t.Fatalf("%s: %v", body, err)
		}
		return reply.Sessions[0]
	case "login":
		id, expiresIn, err := decodeLogin("nsroot", resp)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return []any{id, expiresIn}
	default:
		var reply struct {
			Counts []struct {
				Count FlexInt `json:"__count"`
			} `json:"mpsuser"`
		}
		if _, err := decodeReply("mpsuser count", resp, &reply); err != nil || len(reply.Counts) != 1 {
			t.Fatalf("%s: %v", body, err)
		}
		return reply.Counts[0].Count
	}
}

func TestRepliesDecodeInBothDialects(t *testing.T) {
	want := map[string]any{
		"mpsuser": User{ID: "1", Name: "a", Groups: stringList{"admin"}, EnableSessionTimeout: true, SessionTimeout: 10, IsSuperuser: true, Encrypted: true},
		"mpssession": Session{ID: "s1", Username: "a", Port: 443, IsExternalAuth: true, LoginTime: 1700000000, LastActivityTime: 1700000060,
			ExpireAfter: 1740, SessionTimeout: 1800},
		"login":   []any{"##S", int64(1800)},
		"__count": FlexInt(26),
	}
	for _, tc := range dialectReplies {
		t.Run(tc.object, func(t *testing.T) {
			typed, texts := decodeObject(t, tc.object, tc.typed), decodeObject(t, tc.object, tc.texts)
			if !reflect.DeepEqual(typed, want[tc.object]) || !reflect.DeepEqual(texts, want[tc.object]) {
				t.Fatalf("typed %+v\nstrings %+v\nwant %+v", typed, texts, want[tc.object])
			}
		})
	}
}

// TestEmptyAndOddValues: "" and null are a value left unset (0, false); a value that is
// neither is an error that names the reply, never a guess.
func TestEmptyAndOddValues(t *testing.T) {
	for _, tc := range []struct {
		body, want string
	}{
		{`{"mpsuser":[{"id":"1","session_timeout":"","enable_session_timeout":"","encrypted":null,"external_authentication":"FALSE"}]}`, ""},
		{`{"mpsuser":[{"id":"1","enable_session_timeout":"yes"}]}`, "expected true or false"},
		{`{"mpsuser":[{"id":"1","enable_session_timeout":1}]}`, "expected true or false"},
		{`{"mpsuser":[{"id":"1","encrypted":{}}]}`, "expected true or false"},
		{`{"mpsuser":[{"id":"1","session_timeout":"ten"}]}`, "expected a number"},
		{`{"mpsuser":[{"id":"1","session_timeout":"10.5"}]}`, "expected a number"},
		{`{"mpsuser":[{"id":"1","session_timeout":true}]}`, "expected a number"},
	} {
		user, err := decodeReplyForUser(http.StatusOK, tc.body)
		switch {
		case tc.want == "" && (err != nil || user.SessionTimeout != 0 || bool(user.EnableSessionTimeout || user.Encrypted || user.ExternalAuthentication)):
			t.Errorf("%s: %+v, %v; want zero values", tc.body, user, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "not the expected NITRO JSON")):
			t.Errorf("%s: %v; want an error with %q", tc.body, err, tc.want)
		}
	}
}

// TestUnreadableIsSelfFailsClosed: only an explicit false makes a session someone
// else's; whatever else is_self holds reads as "maybe the provider's own", and the
// rest of the reply still decodes.
func TestUnreadableIsSelfFailsClosed(t *testing.T) {
	for raw, unclear := range map[string]bool{
		`true`: false, `"true"`: false, `"True"`: false, `false`: false, `"false"`: false,
		``: true, `null`: true, `""`: true, `"yes"`: true, `1`: true, `0`: true, `{}`: true, `["false"]`: true,
	} {
		field := ""
		if raw != "" {
			field = `,"is_self":` + raw
		}
		body := `{"errorcode":0,"mpssession":[{"id":"s1","port":"443"` + field + `}]}`
		session, ok := decodeObject(t, "mpssession", body).(Session)
		ownExplicitly := raw == "true" || raw == `"true"` || raw == `"True"`
		if !ok || session.selfUnclear != unclear || session.IsSelf != (unclear || ownExplicitly) || session.Port != 443 {
			t.Errorf("is_self %s: %+v; want unclear=%v", raw, session, unclear)
		}
	}
}

// TestEndUserSessionsLeavesUnclearSessions: a sign-out ends only sessions the
// appliance says are someone else's, and names the ones whose is_self it could not read
// as not ended, so the run fails instead of claiming the person was signed out.
func TestEndUserSessionsLeavesUnclearSessions(t *testing.T) {
	sessions := map[string]string{"explicit": `"false"`, "own": `"true"`, "empty": `""`, "odd": `"maybe"`, "missing": ``}
	var mu sync.Mutex
	var deleted []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == loginPath:
			_, _ = w.Write([]byte(`{"errorcode":0,"login":[{"sessionid":"s"}]}`))
		case r.Method == http.MethodDelete:
			mu.Lock()
			deleted = append(deleted, strings.TrimPrefix(r.URL.Path, sessionPathV2+"/"))
			mu.Unlock()
			_, _ = w.Write([]byte(`{"errorcode":0}`))
		case r.URL.Query().Get("count") == "yes":
			_, _ = w.Write([]byte(`{"errorcode":0,"mpssession":[{"__count":"5"}]}`))
		default:
			var rows []json.RawMessage
			for id, isSelf := range sessions {
				row := `{"id":"` + id + `","username":"alice"`
				if isSelf != "" {
					row += `,"is_self":` + isSelf
				}
				rows = append(rows, json.RawMessage(row+"}"))
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"errorcode": 0, "mpssession": rows})
		}
	}))
	defer server.Close()
	client, err := New(Config{Transport: transport.Config{Endpoint: server.URL, BackoffBase: time.Millisecond}, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	ended, err := client.EndUserSessions(context.Background(), "alice")
	if ended != 1 || !reflect.DeepEqual(deleted, []string{"explicit"}) {
		t.Fatalf("ended %d, deleted %v; want only the session is_self says is someone else's", ended, deleted)
	}
	if err == nil || !strings.Contains(err.Error(), `3 of 4 sessions of "alice" not ended`) || strings.Count(err.Error(), "is_self") != 3 {
		t.Fatalf("error %v; want the three unclear sessions named", err)
	}
	for _, id := range []string{"empty", "odd", "missing"} {
		if !strings.Contains(err.Error(), "session "+id+": ") {
			t.Errorf("session %s is not named: %v", id, err)
		}
	}
}

// TestClientInBothDialects drives every NITRO call against the mock speaking ADM's
// dialect and the typed one: the results are the same.
func TestClientInBothDialects(t *testing.T) {
	results := map[string]string{}
	for _, dialect := range []string{mock.DialectStrings, mock.DialectTyped} {
		t.Run(dialect, func(t *testing.T) {
			m := mock.New(mock.Options{NITRODialect: dialect})
			client := newClient(t, m, "nsroot")
			ctx := context.Background()
			timeout, on := int64(15), true
			result, err := client.CreateUser(ctx, UserSpec{Name: "dialect", Password: "Secret-1", Groups: &[]string{"admin"},
				EnableSessionTimeout: &on, SessionTimeout: &timeout, ExternalAuthentication: new(bool)})
			if err != nil {
				t.Fatal(err)
			}
			created := result.User
			got, err := client.GetUser(ctx, created.ID)
			if err != nil || !reflect.DeepEqual(got, created) || !bool(got.EnableSessionTimeout) || got.SessionTimeout != 15 || !bool(got.Encrypted) {
				t.Fatalf("read back %+v (%v), created %+v", got, err, created)
			}
			updated, _, err := client.UpdateUser(ctx, UserSpec{ID: created.ID, EnableSessionTimeout: new(bool)})
			if err != nil || bool(updated.EnableSessionTimeout) || updated.SessionTimeout != 15 {
				t.Fatalf("update: %+v, %v", updated, err)
			}
			listed, err := client.ListUsers(ctx, Filter{"enable_session_timeout": "false", "name": "dialect"}, 0)
			if err != nil || len(listed) != 1 {
				t.Fatalf("filtered list: %+v, %v", listed, err)
			}
			count, err := client.CountUsers(ctx, nil)
			if err != nil || count != 2 {
				t.Fatalf("count %d, %v; want nsroot and dialect", count, err)
			}
			m.SeedSession(mock.SessionSeed{Username: "nsroot"})
			own, err := client.ListSessions(ctx, Filter{"is_self": "true"})
			if err != nil || len(own) != 1 || own[0].Username != "nsroot" || own[0].Port == 0 || own[0].SessionTimeout != 1800 {
				t.Fatalf("own session: %+v, %v", own, err)
			}
			ended, err := client.EndUserSessions(ctx, "nsroot")
			if err != nil || ended != 1 || len(m.Sessions()) != 1 {
				t.Fatalf("ended %d, %v; %d sessions left, want the client's own", ended, err, len(m.Sessions()))
			}
			_, expiresIn, err := client.Login(ctx, "nsroot", "nsroot")
			if err != nil || expiresIn != 1800 {
				t.Fatalf("login: expires in %d, %v", expiresIn, err)
			}
			created.ID = ""
			results[dialect] = strings.Join([]string{jsonOf(t, created), jsonOf(t, updated.Groups), jsonOf(t, own[0].IsExternalAuth)}, " ")
		})
	}
	if results[mock.DialectStrings] != results[mock.DialectTyped] {
		t.Fatalf("the dialects read differently:\n%s\n%s", results[mock.DialectStrings], results[mock.DialectTyped])
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
