package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Redacted replaces every secret in log output.
const Redacted = "***"

// maxLoggedBody keeps TRACE output readable; long list pages are cut.
const maxLoggedBody = 4096

// secretHeaders carry credentials in one of the three APIs.
var secretHeaders = map[string]bool{
	"Authorization": true,
	"Cookie":        true,
	"Set-Cookie":    true,
	"X-Auth-Token":  true,
	"X-Nitro-Pass":  true,
}

// secretFields matches JSON string members whose values are credentials in one of the
// three APIs (sessionId is the Cluster API's live-session credential). The value may
// be cut off by truncation, hence the optional closing quote.
var secretFields = regexp.MustCompile(`"(password|new_password|one_way_password|one_way_pbkdf2_password|session_token|sessionid|sessionId|token|api_token|apiToken)"(\s*:\s*)"(?:[^"\\]|\\.)*("|$)`)

// RedactBody masks credential members of a JSON body and cuts it to a loggable size.
// The body is cut before it is copied into a string: trace fields are built for every
// reply, and a list page can be a megabyte.
func RedactBody(body []byte) string {
	var text string
	if len(body) > maxLoggedBody {
		text = string(body[:maxLoggedBody]) + "…(truncated)"
	} else {
		text = string(body)
	}
	return secretFields.ReplaceAllString(text, `"$1"$2"`+Redacted+`"`)
}

// RedactHeaders renders headers for a log line with credential headers masked.
func RedactHeaders(header http.Header) string {
	names := make([]string, 0, len(header))
	for name := range header {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		value := strings.Join(header[name], ", ")
		if secretHeaders[http.CanonicalHeaderKey(name)] {
			value = Redacted
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name + ": " + value)
	}
	return b.String()
}

// maskedContext adds the client's known secret values to tflog's masking, a second
// line of defence behind the header and field redaction above.
func (c *Client) maskedContext(ctx context.Context) context.Context {
	secrets := c.secretValues()
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	return tflog.MaskAllFieldValuesStrings(ctx, secrets...)
}

func logRequest(ctx context.Context, req Request, httpReq *http.Request, attempt int) {
	tflog.Debug(ctx, "accessplane API request", map[string]any{
		"operation": req.Operation,
		"method":    req.Method,
		"url":       httpReq.URL.Redacted(),
		"attempt":   attempt,
	})
	tflog.Trace(ctx, "accessplane API request detail", map[string]any{
		"operation": req.Operation,
		"headers":   RedactHeaders(httpReq.Header),
		"body":      RedactBody(req.Body),
	})
}

func logResponse(ctx context.Context, req Request, resp *Response, elapsed time.Duration) {
	tflog.Debug(ctx, "accessplane API response", map[string]any{
		"operation":  req.Operation,
		"status":     resp.StatusCode,
		"elapsed_ms": elapsed.Milliseconds(),
	})
	tflog.Trace(ctx, "accessplane API response detail", map[string]any{
		"operation": req.Operation,
		"headers":   RedactHeaders(resp.Header),
		"body":      RedactBody(resp.Body),
	})
}

func logRetry(ctx context.Context, req Request, resp *Response, err error, attempt int, wait time.Duration) {
	fields := map[string]any{
		"operation": req.Operation,
		"attempt":   attempt,
		"wait_ms":   wait.Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
	} else {
		fields["status"] = resp.StatusCode
	}
	tflog.Debug(ctx, "accessplane API call will be retried", fields)
}

// snippet renders a reply body that is not the API's JSON (a proxy's HTML error page,
// say) short enough for a diagnostic, with credentials masked.
func snippet(body []byte) string {
	const limit = 200
	text := string(bytes.TrimSpace(body))
	if len(text) > limit {
		text = text[:limit] + "…"
	}
	return RedactBody([]byte(text))
}

// NotJSON says whether the reply's body is something other than JSON; an empty body is
// not (a 204 has none). A proxy's login page answered with 200 is then an error, never
// a success.
func (r *Response) NotJSON() bool {
	return len(bytes.TrimSpace(r.Body)) > 0 && !json.Valid(r.Body)
}

// Describe says what a reply that is not the API's JSON is, for an error that already
// names its status: where a redirect points (the Location's host only, as its path
// and query may carry a token), the content type and a snippet of the body with
// credentials masked. It tells a proxy's login page, an HTML error page or a redirect
// to a single sign-on portal apart from a broken appliance.
func Describe(resp *Response) string {
	var parts []string
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		parts = append(parts, redirectTarget(resp.Header.Get("Location")))
	}
	if contentType := resp.Header.Get("Content-Type"); contentType != "" {
		parts = append(parts, fmt.Sprintf("Content-Type %.100q", contentType))
	} else {
		parts = append(parts, "no Content-Type")
	}
	if body := snippet(resp.Body); body != "" {
		parts = append(parts, fmt.Sprintf("body %q", body))
	} else {
		parts = append(parts, "empty body")
	}
	return strings.Join(parts, ", ")
}

func redirectTarget(location string) string {
	target, err := url.Parse(location)
	switch {
	case location == "":
		return "a redirect without a Location"
	case err != nil:
		return "a redirect to an unreadable Location"
	case target.Host == "":
		return "a redirect to another path on the same host"
	}
	return fmt.Sprintf("a redirect to %.100s", target.Host)
}
