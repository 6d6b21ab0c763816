package nimble

import (
	"net/http"
	"strings"
	"testing"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

func TestBrokenRepliesAreErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{200, `{"startRow":0,"data":[{"id":"1"`, "not the expected JSON"},
		{200, `{"data":[{"id":1}]}`, "not the expected JSON"},
		{200, `<html>ok</html>`, "not the expected JSON"},
		{500, `<html>boom</html>`, `reply was not Nimble JSON: "<html>boom</html>"`},
		{401, `{"messages":[{"code":"SM_http_unauthorized","text":"Unauthorized"}]}`, "HTTP 401: Unauthorized (SM_http_unauthorized)"},
	} {
		var page tokenPage
		err := decodeReply("Nimble token list", &transport.Response{StatusCode: tc.status, Header: http.Header{}, Body: []byte(tc.body)}, &page)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d %s: got %v, want %q", tc.status, tc.body, err, tc.want)
		}
	}
}

func FuzzDecodeTokenPage(f *testing.F) {
	f.Add(206, []byte(`{"startRow":0,"endRow":1024,"totalRows":2500,"data":[{"id":"1","username":"a","creation_time":1}]}`))
	f.Add(200, []byte(`{"data":[]}`))
	f.Add(404, []byte(`{"messages":[{"code":"SM_http_not_found","text":"not found"}]}`))
	f.Add(200, []byte(`{"totalRows":-5}`))
	f.Add(503, []byte(`<html></html>`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var page tokenPage
		_ = decodeReply("Nimble token list", &transport.Response{StatusCode: status, Header: http.Header{}, Body: body}, &page)
	})
}
