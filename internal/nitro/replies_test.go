package nitro

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// TestRepliesOutsideNITROAreNamedForWhatTheyAre: only a 2xx is a success, so a 3xx
// is an error even when its body is a NITRO success; a redirect is described as one,
// never by a "Done" it carries; an error without a message is named by its status
// text, followed by a snippet when there is a body.
func TestRepliesOutsideNITROAreNamedForWhatTheyAre(t *testing.T) {
	for _, tc := range []struct {
		status   int
		location string
		body     string
		want     string
	}{
		{http.StatusMultipleChoices, "", `{"errorcode":0,"mpsuser":[{"id":"7"}]}`,
			`mpsuser get: HTTP 300: a redirect without a Location, no Content-Type, body "{\"errorcode\":0,\"mpsuser\":[{\"id\":\"7\"}]}"`},
		{http.StatusMultipleChoices, "", `{"errorcode":0,"message":"Done"}`,
			`mpsuser get: HTTP 300: a redirect without a Location, no Content-Type, body "{\"errorcode\":0,\"message\":\"Done\"}"`},
		{http.StatusFound, "https://sso.example.net/auth", ``,
			`mpsuser get: HTTP 302: a redirect to sso.example.net, no Content-Type, empty body`},
		{http.StatusBadRequest, "", ``, `mpsuser get: HTTP 400: Bad Request`},
		{http.StatusBadRequest, "", "  \n", `mpsuser get: HTTP 400: Bad Request`},
		{http.StatusConflict, "", `{"severity":"ERROR"}`, `mpsuser get: HTTP 409: Conflict (no Content-Type, body "{\"severity\":\"ERROR\"}")`},
		{http.StatusBadRequest, "", `{"errorcode":1097,"message":"Invalid argument"}`, `mpsuser get: HTTP 400, NITRO errorcode 1097: Invalid argument`},
	} {
		header := http.Header{}
		if tc.location != "" {
			header.Set("Location", tc.location)
		}
		var reply userEnvelope
		_, err := decodeReply("mpsuser get", &transport.Response{StatusCode: tc.status, Header: header, Body: []byte(tc.body)}, &reply)
		if err == nil || err.Error() != tc.want {
			t.Errorf("HTTP %d %q: got %v (users %+v)\nwant the error %s", tc.status, tc.body, err, reply.Users, tc.want)
		}
	}
}

// TestErrorKinds: callers react to a failure by its kind, whichever way the appliance
// says it: not found is HTTP 404 or errorcode 258 (with any status), already exists
// HTTP 409 or errorcode 273, refused credentials HTTP 401 or 403 or errorcode 354 or
// 444; anything else is none of these.
func TestErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   int
		want   Kind
	}{
		{http.StatusNotFound, 0, KindNotFound},
		{http.StatusNotFound, 1097, KindNotFound},
		{http.StatusOK, 258, KindNotFound},
		{http.StatusBadRequest, 258, KindNotFound},
		{http.StatusConflict, 0, KindAlreadyExists},
		{http.StatusConflict, 1097, KindAlreadyExists},
		{http.StatusBadRequest, 273, KindAlreadyExists},
		{http.StatusUnauthorized, 0, KindUnauthorized},
		{http.StatusForbidden, 0, KindUnauthorized},
		{http.StatusForbidden, 1097, KindUnauthorized},
		{http.StatusBadRequest, 354, KindUnauthorized},
		{http.StatusBadRequest, 444, KindUnauthorized},
		{http.StatusOK, 444, KindUnauthorized},
		{http.StatusBadRequest, 1097, KindOther},
		{http.StatusInternalServerError, 0, KindOther},
		{http.StatusOK, 1097, KindOther},
	} {
		body := `{"errorcode":` + strconv.Itoa(tc.code) + `,"message":"m","severity":"ERROR"}`
		_, err := decodeReplyForUser(tc.status, body)
		got := map[Kind]bool{KindNotFound: IsNotFound(err), KindAlreadyExists: IsAlreadyExists(err), KindUnauthorized: IsUnauthorized(err)}
		for kind, is := range got {
			if is != (kind == tc.want) {
				t.Errorf("HTTP %d, errorcode %d: %v reads as kind %d: %v; want only kind %d", tc.status, tc.code, err, kind, is, tc.want)
			}
		}
		if err == nil {
			t.Errorf("HTTP %d, errorcode %d: no error", tc.status, tc.code)
		}
	}
}

// TestErrorcode258IsGone: an appliance that answers a missing user or session with
// errorcode 258 (under HTTP 200 or 400, as many builds do) has them gone: a read
// reports not found and a delete succeeds.
func TestErrorcode258IsGone(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
		client, rec := scriptedClient(t, func(w http.ResponseWriter, r *http.Request, _ string) {
			if r.URL.Query().Get("count") == "yes" {
				_, _ = w.Write([]byte(`{"errorcode":0,"mpssession":[{"__count":"0"}]}`))
				return
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"errorcode":258,"message":"No such resource","severity":"ERROR"}`))
		})
		ctx := context.Background()
		if _, err := client.GetUser(ctx, "7"); !IsNotFound(err) {
			t.Errorf("HTTP %d: get user: %v, want not found", status, err)
		}
		if warnings, err := client.DeleteUser(ctx, "7"); err != nil || warnings != nil {
			t.Errorf("HTTP %d: delete user: %v, %v; want success", status, warnings, err)
		}
		if _, err := client.GetSession(ctx, "s-7"); !IsNotFound(err) {
			t.Errorf("HTTP %d: get session: %v, want not found", status, err)
		}
		if err := client.DeleteSession(ctx, "s-7"); err != nil {
			t.Errorf("HTTP %d: delete session: %v, want success", status, err)
		}
		if n := len(rec.all()); n != 6 {
			t.Errorf("HTTP %d: requests %q; want a sign-in, a probe and one call each", status, rec.all())
		}
	}
}
