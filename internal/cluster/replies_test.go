package cluster

import (
	"context"
	"net/http"
	"testing"
)

// TestRepliesOutsideTheAPIAreErrorsThatSayWhatCame: only a 2xx is a success; a
// redirect is an error even when its body is JSON. An error reply that does not carry
// the Cluster API's {"error":…} object is named by its status text, followed by what
// came instead (where a redirect points, a snippet of an unexpected body); a bare
// status with no body and no redirect is its status text alone, with nothing
// invented beside it.
func TestRepliesOutsideTheAPIAreErrorsThatSayWhatCame(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		location string
		body     string
		want     string
	}{
		{"300 with the policy's JSON", http.StatusMultipleChoices, "", `{"concurrentSessionPolicyDto":{"userLimit":1,"adminLimit":1},"automaticLogoutDto":{"logoutInactiveUsersEnabled":true,"userInactivityTimeout":900}}`,
			`cluster user-sessions get: HTTP 300: Multiple Choices (a redirect without a Location, no Content-Type, body "{\"concurrentSessionPolicyDto\":{\"userLimit\":1,\"adminLimit\":1},\"automaticLogoutDto\":{\"logoutInactiveUsersEnabled\":true,\"userInactivityTimeout\":900}}")`},
		{"300 without a body", http.StatusMultipleChoices, "https://sso.example.net/auth", "",
			"cluster user-sessions get: HTTP 300: Multiple Choices (a redirect to sso.example.net, no Content-Type, empty body)"},
		{"302 without a body", http.StatusFound, "https://sso.example.net/auth", "",
			"cluster user-sessions get: HTTP 302: Found (a redirect to sso.example.net, no Content-Type, empty body)"},
		{"400 without a body", http.StatusBadRequest, "", "",
			"cluster user-sessions get: HTTP 400: Bad Request"},
		{"404 without a body", http.StatusNotFound, "", "",
			"cluster user-sessions get: HTTP 404: Not Found"},
		{"JSON that is not the API's error", http.StatusConflict, "", `{"status":"busy"}`,
			`cluster user-sessions get: HTTP 409: Conflict (no Content-Type, body "{\"status\":\"busy\"}")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client := newSessionClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				w.Header()["Content-Type"] = nil // no Content-Type, not even a sniffed one
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			policy, err := client.GetUserSessions(context.Background())
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %+v, %v\nwant the error %s", policy, err, tc.want)
			}
		})
	}
}
