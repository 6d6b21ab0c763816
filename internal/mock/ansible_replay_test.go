package mock

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// The requests below are those Citrix's citrix.adm Ansible collection
// (citrix/citrix-adc-ansible-modules, ansible-collections/adm) sends, read from its
// source: citrix_adm_login signs in at NITRO v2; citrix_adm_mpsuser sends every
// module argument it was given, with session_timeout as a string and its booleans as
// "true"/"false"; it looks the user up with filter=name:<name>, decides whether to
// update by comparing what it would send with what GET returns, value for value,
// updates with PUT to the user's id without the id in the body, and deletes with
// args=name:<name>,id:<id> on the collection, each value escaped on its own. Its
// requests carry Content-Type: application/json whatever the method, and either the
// session cookie or X-NITRO-USER/X-NITRO-PASS. The logout is the netscaler.adc
// collection's, which names the session in the body.

// ansibleClient replays the collection's requests against a mock.
type ansibleClient struct {
	t      *testing.T
	base   string
	header http.Header
}

// call sends one request and returns the reply as the collection reads it: any JSON,
// with an errorcode that is absent or the number 0.
func (a *ansibleClient) call(method, path string, body any) map[string]any {
	a.t.Helper()
	var payload string
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			a.t.Fatal(err)
		}
		payload = string(data)
	}
	req, err := http.NewRequest(method, a.base+path, strings.NewReader(payload))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header = a.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var reply map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		a.t.Fatalf("%s %s: HTTP %d, not JSON: %v", method, path, resp.StatusCode, err)
	}
	// The collection fails unless errorcode is absent or the number 0: a "0" would not do.
	if code, present := reply["errorcode"]; present && code != float64(0) {
		a.t.Fatalf("%s %s: HTTP %d, errorcode %#v (%v); the collection would fail", method, path, resp.StatusCode, code, reply["message"])
	}
	return reply
}

// find is the collection's exists(): the one user named name, or nil.
func (a *ansibleClient) find(name string) map[string]any {
	a.t.Helper()
	reply := a.call("GET", "/nitro/v2/config/mpsuser?filter=name:"+name, nil)
	users, _ := reply["mpsuser"].([]any)
	switch len(users) {
	case 0:
		return nil
	case 1:
		if user, ok := users[0].(map[string]any); ok {
			return user
		}
		a.t.Fatalf("filter=name:%s: the user is %#v, not an object", name, users[0])
	}
	a.t.Fatalf("filter=name:%s matched %d users; the collection fails on more than one", name, len(users))
	return nil
}

// text is the string the collection reads from a user's field, as Python would: a field
// that is not a string fails the run.
func (a *ansibleClient) text(user map[string]any, field string) string {
	a.t.Helper()
	value, ok := user[field].(string)
	if !ok {
		a.t.Fatalf("%s is %#v, not a string", field, user[field])
	}
	return value
}

// present is the collection's state=present: create the user, or update it when a
// value it would send differs from the one GET returns. It returns whether anything
// changed and the user as GET returns it afterwards.
func (a *ansibleClient) present(params map[string]any) (bool, map[string]any) {
	a.t.Helper()
	name := a.text(params, "name")
	changed := false
	if actual := a.find(name); actual == nil {
		a.call("POST", "/nitro/v2/config/mpsuser", map[string]any{"mpsuser": params})
		changed = true
	} else if len(differences(params, actual)) > 0 {
		a.call("PUT", "/nitro/v2/config/mpsuser/"+a.text(actual, "id"), map[string]any{"mpsuser": params})
		changed = true
	}
	after := a.find(name)
	if after == nil {
		a.t.Fatalf("user %s not found after state=present", name)
	}
	return changed, after
}

// absent is the collection's state=absent.
func (a *ansibleClient) absent(name string) bool {
	a.t.Helper()
	actual := a.find(name)
	if actual == nil {
		return false
	}
	a.call("DELETE", "/nitro/v2/config/mpsuser?args=name:"+quoteAll(a.text(actual, "name"))+",id:"+quoteAll(a.text(actual, "id")), nil)
	return true
}

// differences compares as the collection does: each value it sends (but the
// password) against GET's, strings as strings and lists as lists.
func differences(sent, got map[string]any) []string {
	var out []string
	for key, want := range sent {
		if key == "password" {
			continue
		}
		same := false
		switch want := want.(type) {
		case string:
			same = got[key] == want
		case []string:
			list, _ := got[key].([]any)
			same = len(list) == len(want) && !slices.ContainsFunc(list, func(v any) bool { s, _ := v.(string); return !slices.Contains(want, s) })
		}
		if !same {
			out = append(out, fmt.Sprintf("%s: sent %#v, got %#v", key, want, got[key]))
		}
	}
	slices.Sort(out)
	return out
}

// quoteAll escapes every byte but letters, digits and _.-~, as Python's
// urllib.parse.quote with safe=” does.
func quoteAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestAnsibleCollectionReplay(t *testing.T) {
	for _, auth := range []string{"session", "X-NITRO-USER"} {
		t.Run(auth, func(t *testing.T) {
			m := New(Options{})
			server := httptest.NewServer(m)
			defer server.Close()
			jsonOnly := http.Header{"Content-Type": {"application/json"}}

			// citrix_adm_login with mas_user and mas_pass.
			login := &ansibleClient{t: t, base: server.URL, header: jsonOnly.Clone()}
			login.header.Set("X-NITRO-USER", "nsroot")
			login.header.Set("X-NITRO-PASS", "nsroot")
			reply := login.call("POST", "/nitro/v2/config/login", map[string]any{"login": map[string]any{"username": "nsroot", "password": "nsroot"}})
			sessions, _ := reply["login"].([]any)
			if len(sessions) != 1 {
				t.Fatalf("login reply %v", reply)
			}
			session, _ := sessions[0].(map[string]any)
			sessionID, _ := session["sessionid"].(string)
			if sessionID == "" {
				t.Fatalf("login reply without sessionid: %v", reply)
			}

			// citrix_adm_mpsuser with mas_auth_token, or with mas_user and mas_pass.
			user := &ansibleClient{t: t, base: server.URL, header: jsonOnly.Clone()}
			if auth == "session" {
				user.header.Set("Cookie", "NITRO_AUTH_TOKEN="+sessionID)
			} else {
				user.header = login.header.Clone()
			}
			params := map[string]any{
				"name": "playbook_user", "password": "123456", "session_timeout": "10", "session_timeout_unit": "Minutes",
				"external_authentication": "false", "enable_session_timeout": "true", "groups": []string{"readonly"},
			}
			changed, got := user.present(params)
			if diff := differences(params, got); !changed || len(diff) > 0 {
				t.Fatalf("create: changed %v, and read back differs: %v", changed, diff)
			}
			stored, _ := m.UserByName("playbook_user")
			if stored.SessionTimeout != 10 || !stored.EnableSessionTimeout || stored.ExternalAuthentication || stored.Password != "123456" {
				t.Fatalf("stored %+v", stored)
			}
			if changed, _ := user.present(params); changed {
				t.Fatal("a second run with the same arguments must change nothing")
			}
			params["session_timeout"], params["enable_session_timeout"] = "20", "false"
			changed, got = user.present(params)
			if diff := differences(params, got); !changed || len(diff) > 0 || got["id"] != stored.ID {
				t.Fatalf("update: changed %v, read back %v, differences %v", changed, got, diff)
			}
			if !user.absent("playbook_user") || user.find("playbook_user") != nil || user.absent("playbook_user") {
				t.Fatal("state=absent must delete the user once")
			}

			// The netscaler.adc collection's logout at NITRO v2.
			logout := &ansibleClient{t: t, base: server.URL, header: jsonOnly.Clone()}
			logout.header.Set("Cookie", "NITRO_AUTH_TOKEN="+sessionID)
			logout.call("POST", "/nitro/v2/config/logout", map[string]any{"logout": map[string]any{"sessionid": sessionID}})
			if left := m.Sessions(); len(left) != 0 {
				t.Fatalf("sessions left after logout: %+v", left)
			}

			want := map[string]int{RouteNITROLoginV2: 1, RouteUserAdd: 1, RouteUserUpdate: 1, RouteUserDeleteByArgs: 1, RouteNITROLogoutV2: 1, RouteUserList: 9}
			if got := m.Counts(); !maps.Equal(got, want) {
				t.Fatalf("requests %v, want %v", got, want)
			}
		})
	}
}

// TestAnsibleComparisonNeedsADMsDialect: in typed JSON the collection's string
// comparison sees a difference where there is none, and would update on every run;
// that is why the mock speaks ADM's dialect by default.
func TestAnsibleComparisonNeedsADMsDialect(t *testing.T) {
	m := New(Options{NITRODialect: DialectTyped})
	server := httptest.NewServer(m)
	defer server.Close()
	user := &ansibleClient{t: t, base: server.URL, header: http.Header{"Content-Type": {"application/json"}, "X-Nitro-User": {"nsroot"}, "X-Nitro-Pass": {"nsroot"}}}
	params := map[string]any{"name": "typed_user", "password": "123456", "session_timeout": "10", "enable_session_timeout": "true"}
	user.present(params)
	changed, got := user.present(params)
	if diff := differences(params, got); !changed || len(diff) != 2 {
		t.Fatalf("changed %v, differences %v; want the number and the boolean to differ", changed, diff)
	}
}
