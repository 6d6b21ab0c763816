// Package nitro is a typed client for the Citrix ADM / NetScaler MAS NITRO API: sign-in,
// system users (v2 mpsuser) and client sessions (v1 mpssession).
package nitro

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const (
	loginPath    = "/nitro/v1/config/login"
	logoutPath   = "/nitro/v1/config/logout"
	cookieName   = "NITRO_AUTH_TOKEN"
	statusWarned = 209 // success with X-NITRO-WARNING
)

// Config is what the client needs to reach and sign in to one ADM.
type Config struct {
	Transport transport.Config
	Username  string
	Password  string
	// Now is the clock that ages the listings RefreshUser answers from; default
	// time.Now.
	Now func() time.Time
}

// Client holds one NITRO session per provider process, shared by concurrent calls and
// renewed once when the appliance reports it expired.
type Client struct {
	http     *transport.Client
	username string
	password string

	session *transport.Session
	refresh *userRefresh

	generationMu      sync.Mutex
	sessionCollection string // learned by sessionPath
}

// Name is the appliance's name in the provider configuration, empty for the default.
func (c *Client) Name() string { return c.http.Name() }

// Endpoint is the host and port of the appliance the client talks to.
func (c *Client) Endpoint() string { return c.http.Endpoint() }

// New builds a client; it signs in lazily, on the first call that needs a session.
func New(cfg Config) (*Client, error) {
	httpClient, err := transport.New(cfg.Transport)
	if err != nil {
		return nil, err
	}
	httpClient.AddSecret(cfg.Password)
	c := &Client{http: httpClient, username: cfg.Username, password: cfg.Password, refresh: newUserRefresh(cfg.Now)}
	c.session = transport.NewSession(func(ctx context.Context) (transport.Credential, error) {
		sessionID, _, err := c.Login(ctx, c.username, c.password)
		return transport.Credential{Secret: sessionID}, err
	})
	return c, nil
}

// SignOut ends the provider's own NITRO session, if it has one. Sessions opened with
// Login for someone else (accessplane_adm_login) are theirs to end.
func (c *Client) SignOut(ctx context.Context) error {
	return c.session.SignOut(ctx, func(ctx context.Context, credential transport.Credential) error {
		return c.Logout(ctx, credential.Secret)
	})
}

// Credentials returns the user and password the client signs in with, for callers
// that open a session of their own with the same account.
func (c *Client) Credentials() (username, password string) { return c.username, c.password }

// Warnings are the texts of X-NITRO-WARNING headers on a successful (HTTP 209) reply.
type Warnings []string

// call is one NITRO request with the session cookie; it renews an expired session once.
// out, when not nil, receives the decoded envelope. Writes ask for warning=yes, without
// which an appliance reports no warnings (HTTP 209).
func (c *Client) call(ctx context.Context, req transport.Request, out any) (Warnings, error) {
	if req.Method != http.MethodGet {
		req.Query = withWarnings(req.Query)
	}
	resp, err := c.session.Do(ctx, func(sessionID string) (*transport.Response, error) {
		return c.send(ctx, req, sessionID)
	}, sessionExpired)
	if err != nil {
		return nil, err
	}
	return decodeReply(req.Operation, resp, out)
}

// errNotNITROJSON marks a success reply whose body could not be decoded: the call may
// have been carried out, which a create has to find out.
var errNotNITROJSON = errors.New("the appliance sent a reply that is not the expected NITRO JSON")

// decodeReply turns a NITRO reply into a typed error, or decodes it into out and
// returns its warnings.
func decodeReply(operation string, resp *transport.Response, out any) (Warnings, error) {
	if err := replyError(operation, resp); err != nil {
		return nil, err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := unmarshalReply(operation, resp, out); err != nil {
			return nil, err
		}
	}
	var warnings Warnings
	if resp.StatusCode == statusWarned {
		warnings = append(warnings, resp.Header.Values("X-NITRO-WARNING")...)
	}
	return warnings, nil
}

func withWarnings(query url.Values) url.Values {
	out := url.Values{"warning": {"yes"}}
	for key, values := range query {
		out[key] = values
	}
	return out
}

func (c *Client) send(ctx context.Context, req transport.Request, sessionID string) (*transport.Response, error) {
	req.Header = req.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Cookie", cookieName+"="+sessionID)
	return c.http.Do(ctx, req)
}

func sessionExpired(resp *transport.Response) bool {
	if resp.StatusCode == http.StatusUnauthorized {
		return true
	}
	if resp.StatusCode < 400 {
		return false
	}
	var env envelope
	return json.Unmarshal(resp.Body, &env) == nil && int(env.ErrorCode) == codeSessionExpired
}

// Login opens a NITRO session and returns its id and lifetime in seconds (0 when the
// appliance does not say). The provider's own session comes from here too.
func (c *Client) Login(ctx context.Context, username, password string) (string, int64, error) {
	c.http.AddSecret(password)
	body, err := json.Marshal(map[string]any{"login": map[string]string{"username": username, "password": password}})
	if err != nil {
		return "", 0, err
	}
	resp, err := c.http.Do(ctx, transport.Request{
		Operation: "NITRO sign-in", Method: http.MethodPost, Path: loginPath, Body: body,
		// A failed sign-in changes nothing on the appliance, so it is safe to repeat.
		Idempotent: true,
	})
	if err != nil {
		return "", 0, err
	}
	sessionID, expiresIn, err := decodeLogin(username, resp)
	if err != nil {
		return "", 0, err
	}
	c.http.AddSecret(sessionID)
	return sessionID, expiresIn, nil
}

// decodeLogin reads the session id from a sign-in reply's body, or else its cookie.
func decodeLogin(username string, resp *transport.Response) (string, int64, error) {
	if err := replyError("NITRO sign-in", resp); err != nil {
		return "", 0, signInError(username, err)
	}
	var reply struct {
		Login []struct {
			SessionID   string  `json:"sessionid"`
			ExpireAfter FlexInt `json:"expire_after"`
			Timeout     FlexInt `json:"timeout"`
		} `json:"login"`
	}
	if err := unmarshalReply("NITRO sign-in", resp, &reply); err != nil {
		return "", 0, err
	}
	sessionID := ""
	var expiresIn int64
	if len(reply.Login) > 0 {
		sessionID = reply.Login[0].SessionID
		expiresIn = max(int64(reply.Login[0].ExpireAfter), int64(reply.Login[0].Timeout))
	}
	if sessionID == "" {
		for _, cookie := range (&http.Response{Header: resp.Header}).Cookies() {
			if cookie.Name == cookieName {
				sessionID = cookie.Value
			}
		}
	}
	if sessionID == "" {
		return "", 0, fmt.Errorf("NITRO sign-in as %q: the reply carried no session id", username)
	}
	return sessionID, expiresIn, nil
}

func signInError(username string, err error) error {
	if IsUnauthorized(err) {
		return fmt.Errorf("%w (check the adm username %q and its password)", err, username)
	}
	return err
}

// Logout ends the session sessionID; a session that has already ended is success.
func (c *Client) Logout(ctx context.Context, sessionID string) error {
	resp, err := c.send(ctx, transport.Request{
		Operation: "NITRO sign-out", Method: http.MethodPost, Path: logoutPath,
		Body: []byte(`{"logout":{}}`), Idempotent: true,
	}, sessionID)
	if err != nil {
		return err
	}
	if sessionExpired(resp) {
		return nil
	}
	return replyError("NITRO sign-out", resp)
}

// envelope is the part every NITRO reply shares.
type envelope struct {
	ErrorCode FlexInt `json:"errorcode"`
	Message   string  `json:"message"`
	Severity  string  `json:"severity"`
}

// replyError is the error a reply stands for: a NITRO error (HTTP 4xx/5xx, or an
// errorcode in a 2xx), a redirect, or a body that is not JSON at all, such as a
// proxy's login page answered with 200, which must never pass for a success.
func replyError(operation string, resp *transport.Response) error {
	var env envelope
	decodeErr := json.Unmarshal(resp.Body, &env)
	notJSON := decodeErr != nil && len(bytes.TrimSpace(resp.Body)) > 0
	redirect := resp.StatusCode >= 300 && resp.StatusCode < 400
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	if success && !notJSON && env.ErrorCode == 0 {
		return nil
	}
	apiErr := &Error{Kind: classify(resp.StatusCode, int(env.ErrorCode)), Operation: operation, HTTPStatus: resp.StatusCode, Code: int(env.ErrorCode), Message: env.Message}
	switch {
	case notJSON:
		apiErr.Kind, apiErr.Code = classify(resp.StatusCode, 0), 0
		apiErr.Message = "not NITRO JSON: " + transport.Describe(resp)
		apiErr.unreadableSuccess = success
	case redirect:
		apiErr.Message = transport.Describe(resp)
	case apiErr.Message == "" && len(bytes.TrimSpace(resp.Body)) == 0:
		apiErr.Message = http.StatusText(resp.StatusCode)
	case apiErr.Message == "":
		apiErr.Message = http.StatusText(resp.StatusCode) + " (" + transport.Describe(resp) + ")"
	}
	return apiErr
}

// unmarshalReply decodes a success reply that replyError found to be JSON into out; a
// reply of the wrong shape names what it was.
func unmarshalReply(operation string, resp *transport.Response, out any) error {
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("%s: HTTP %d: %w: %w (%s)", operation, resp.StatusCode, errNotNITROJSON, err, transport.Describe(resp))
	}
	return nil
}

// ADM replies carry numbers and booleans as JSON strings ("10", "true"), as Citrix's
// own ADM automation expects them, while the API reference pages show typed JSON; the
// reply types read both through FlexInt and FlexBool. An empty string, like null, is
// how an appliance leaves a value unset: it reads as 0 or false. (is_self, which
// guards sign-outs, reads differently: see Session.)

// FlexInt is a NITRO number, typed (10) or as a string ("10"); "" and null read as 0.
type FlexInt int64

func (f *FlexInt) UnmarshalJSON(data []byte) error {
	text, err := scalarText(data)
	if err != nil || text == "" {
		*f = 0
		return err
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("expected a number, got %.40s", data)
	}
	*f = FlexInt(n)
	return nil
}

// FlexBool is a NITRO boolean, typed (true) or as a string ("true"); "" and null
// read as false. Any other value is an error, never a guess.
type FlexBool bool

func (b *FlexBool) UnmarshalJSON(data []byte) error {
	value, _, err := parseFlag(data)
	*b = FlexBool(value)
	return err
}

// parseFlag reads a NITRO boolean. set is false when the appliance left it unset
// (null, "", or no value at all).
func parseFlag(data []byte) (value, set bool, err error) {
	text, err := scalarText(data)
	switch {
	case err != nil:
		return false, false, err
	case text == "":
		return false, false, nil
	case strings.EqualFold(text, "true"):
		return true, true, nil
	case strings.EqualFold(text, "false"):
		return false, true, nil
	}
	return false, false, fmt.Errorf("expected true or false, got %.40s", data)
}

// scalarText is a JSON scalar's text: a string's contents, or a literal as it stands;
// "" for null or no value.
func scalarText(data []byte) (string, error) {
	if len(data) > 0 && data[0] == '"' {
		var text string
		if err := json.Unmarshal(data, &text); err != nil {
			return "", fmt.Errorf("expected a string, got %.40s", data)
		}
		return text, nil
	}
	if len(data) == 0 || string(data) == "null" {
		return "", nil
	}
	return string(data), nil
}

func escape(id string) string { return url.PathEscape(id) }
