// Package nimble is a typed client for the HPE Nimble Storage REST API v1 user session
// tokens: sign-in and sign-out, list with paging, filters and sorting, get by id, and
// delete.
package nimble

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const (
	tokensPath = "/v1/tokens"
	// AppName marks the provider's own sign-ins so audits can recognise them.
	AppName = "terraform-provider-accessplane"
	// DefaultPageSize is the most rows a Nimble array returns per list call.
	DefaultPageSize = 1024
	// maxTotalRows is the most rows a plausible reply reports.
	maxTotalRows = 10_000_000
	// maxReservedRows bounds the capacity reserved from a reply's totalRows, so a broken
	// reply cannot make the client reserve hundreds of megabytes before any row arrives.
	maxReservedRows = 16 * DefaultPageSize
)

// Config is what the client needs to reach and sign in to one array.
type Config struct {
	Transport transport.Config
	Username  string
	Password  string
}

// Client holds one session token per provider process, renewed once on a 401.
type Client struct {
	http     *transport.Client
	username string
	password string
	session  *transport.Session
}

// Name is the appliance's name in the provider configuration, empty for the default.
func (c *Client) Name() string { return c.http.Name() }

// Endpoint is the host and port of the appliance the client talks to.
func (c *Client) Endpoint() string { return c.http.Endpoint() }

// New builds a client; it signs in lazily, on the first call.
func New(cfg Config) (*Client, error) {
	httpClient, err := transport.New(cfg.Transport)
	if err != nil {
		return nil, err
	}
	httpClient.AddSecret(cfg.Password)
	c := &Client{http: httpClient, username: cfg.Username, password: cfg.Password}
	c.session = transport.NewSession(c.signIn)
	return c, nil
}

// Token is a user session token without its credential: session_token has no field
// here, so it is never decoded and can never be stored.
type Token struct {
	ID           string `json:"id"`
	Username     string `json:"username"`
	AppName      string `json:"app_name"`
	SourceIP     string `json:"source_ip"`
	CreationTime int64  `json:"creation_time"`
	LastModified int64  `json:"last_modified"`
}

// listFields are the fields a list asks for; session_token is deliberately absent so
// the array never sends other users' credentials.
const listFields = "id,username,app_name,source_ip,creation_time,last_modified"

// Error is a Nimble error reply.
type Error struct {
	Operation  string
	HTTPStatus int
	Code       string
	Text       string
}

func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("%s: HTTP %d: %s", e.Operation, e.HTTPStatus, e.Text)
	}
	return fmt.Sprintf("%s: HTTP %d: %s (%s)", e.Operation, e.HTTPStatus, e.Text, e.Code)
}

// IsNotFound reports whether err means no such object.
func IsNotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusNotFound
}

func (c *Client) signIn(ctx context.Context) (transport.Credential, error) {
	body, err := json.Marshal(map[string]any{"data": map[string]string{
		"username": c.username, "password": c.password, "app_name": AppName,
	}})
	if err != nil {
		return transport.Credential{}, err
	}
	resp, err := c.http.Do(ctx, transport.Request{
		Operation: "Nimble sign-in", Method: http.MethodPost, Path: tokensPath, Body: body,
		// A refused sign-in creates nothing; a lost reply leaves at most an idle token.
		Idempotent: true,
	})
	if err != nil {
		return transport.Credential{}, err
	}
	var reply struct {
		Data struct {
			ID           string `json:"id"`
			SessionToken string `json:"session_token"`
		} `json:"data"`
	}
	if err := decodeReply("Nimble sign-in", resp, &reply); err != nil {
		if resp.StatusCode == http.StatusUnauthorized {
			return transport.Credential{}, fmt.Errorf("%w (check the nimble username %q and its password)", err, c.username)
		}
		return transport.Credential{}, err
	}
	if reply.Data.SessionToken == "" {
		return transport.Credential{}, errors.New("nimble sign-in: the reply carried no session token")
	}
	c.http.AddSecret(reply.Data.SessionToken)
	return transport.Credential{Secret: reply.Data.SessionToken, ID: reply.Data.ID}, nil
}

// SignOut ends the provider's own token, as HPE's SDKs sign out: DELETE of the token.
func (c *Client) SignOut(ctx context.Context) error {
	return c.session.SignOut(ctx, func(ctx context.Context, credential transport.Credential) error {
		if credential.ID == "" {
			return errors.New("nimble sign-out: the sign-in reply carried no token id, so the token is left to expire")
		}
		resp, err := c.http.Do(ctx, c.deleteTokenRequest(credential.ID, credential.Secret))
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusNotFound {
			return nil // expired or ended already
		}
		return replyError("Nimble sign-out", resp)
	})
}

// IsOwnToken says whether id is the token the provider signed in with.
func (c *Client) IsOwnToken(id string) bool {
	return id != "" && c.session.ID() == id
}

// DeleteToken ends a user's session token; a token that has already ended is success.
func (c *Client) DeleteToken(ctx context.Context, id string) error {
	err := c.authorized(ctx, c.deleteTokenRequest(id, ""), nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

func (c *Client) deleteTokenRequest(id, token string) transport.Request {
	req := transport.Request{
		Operation: "Nimble token delete", Method: http.MethodDelete, Path: tokensPath + "/" + url.PathEscape(id),
		// Ending a token twice ends it once; the second answer is a 404.
		Idempotent: true,
	}
	if token != "" {
		req.Header = http.Header{"X-Auth-Token": {token}}
	}
	return req
}

func (c *Client) get(ctx context.Context, operation, path string, query url.Values, out any) error {
	return c.authorized(ctx, transport.Request{Operation: operation, Method: http.MethodGet, Path: path, Query: query, Idempotent: true}, out)
}

// authorized sends req with the provider's token, signing in again once when the
// array answers 401, and decodes a success into out unless out is nil.
func (c *Client) authorized(ctx context.Context, req transport.Request, out any) error {
	resp, err := c.session.Do(ctx, func(token string) (*transport.Response, error) {
		req.Header = http.Header{"X-Auth-Token": {token}}
		return c.http.Do(ctx, req)
	}, func(resp *transport.Response) bool { return resp.StatusCode == http.StatusUnauthorized })
	if err != nil {
		return err
	}
	return decodeReply(req.Operation, resp, out)
}

// decodeReply turns an error reply into *Error, or decodes a success into out.
func decodeReply(operation string, resp *transport.Response, out any) error {
	if err := replyError(operation, resp); err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("%s: HTTP %d: the array sent a reply that is not the expected JSON: %w (%s)", operation, resp.StatusCode, err, transport.Describe(resp))
	}
	return nil
}

// tokenPage is one reply of a token list.
type tokenPage struct {
	StartRow  int     `json:"startRow"`
	EndRow    int     `json:"endRow"`
	TotalRows int     `json:"totalRows"`
	Data      []Token `json:"data"`
}

// ListOptions select and order tokens on the array.
type ListOptions struct {
	Username string
	AppName  string
	SourceIP string
	// SortBy names a field to sort ascending by.
	SortBy string
	// PageSize is the rows per call; DefaultPageSize when 0.
	PageSize int
}

// ListTokens returns every matching token, paging with startRow/pageSize. An array
// answers 206 for any partial page, the last one included, so the envelope decides,
// as in HPE's own SDKs: the listing goes on while endRow < totalRows and the page was
// not empty. Rows that move between pages while they are read are kept once. The work
// stays bounded whatever the array answers: a page that adds no new token ends the
// listing (the array is not paging), and a totalRows more than a page above what the
// first page promised is an error (tokens are not created that fast; the array keeps
// moving the end).
func (c *Client) ListTokens(ctx context.Context, opts ListOptions) ([]Token, error) {
	pageSize := opts.PageSize
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	var tokens []Token
	seen := map[string]bool{}
	promised := -1
	for startRow := 0; ; {
		query := url.Values{"fields": {listFields}, "pageSize": {strconv.Itoa(pageSize)}, "startRow": {strconv.Itoa(startRow)}}
		for name, value := range map[string]string{"username": opts.Username, "app_name": opts.AppName, "source_ip": opts.SourceIP, "sortBy": opts.SortBy} {
			if value != "" {
				query.Set(name, value)
			}
		}
		var page tokenPage
		if err := c.get(ctx, "Nimble token list", tokensPath+"/detail", query, &page); err != nil {
			return nil, err
		}
		if page.TotalRows < 0 || page.TotalRows > maxTotalRows {
			return nil, fmt.Errorf("nimble token list: the array reported %d rows, which is not a plausible count", page.TotalRows)
		}
		if promised < 0 {
			promised = page.TotalRows
			tokens = make([]Token, 0, min(page.TotalRows, maxReservedRows))
		}
		if page.TotalRows > promised+pageSize {
			return nil, fmt.Errorf("nimble token list: the array's totalRows grew from %d to %d while it was read, more than a page of %d; stopped after %d rows rather than page on without end", promised, page.TotalRows, pageSize, len(seen))
		}
		added := 0
		for _, token := range page.Data {
			if !seen[token.ID] {
				seen[token.ID] = true
				added++
				if opts.matches(token) {
					tokens = append(tokens, token)
				}
			}
		}
		next := max(page.EndRow, startRow+len(page.Data))
		if added == 0 || next >= page.TotalRows {
			return tokens, nil
		}
		startRow = next
	}
}

// matches applies the filters on the client's side too, so an array that ignores a
// query parameter never widens the result.
func (o ListOptions) matches(t Token) bool {
	return (o.Username == "" || t.Username == o.Username) &&
		(o.AppName == "" || t.AppName == o.AppName) &&
		(o.SourceIP == "" || t.SourceIP == o.SourceIP)
}

// GetToken reads one token by id.
func (c *Client) GetToken(ctx context.Context, id string) (*Token, error) {
	var reply struct {
		Data *Token `json:"data"`
	}
	query := url.Values{"fields": {listFields}}
	if err := c.get(ctx, "Nimble token get", tokensPath+"/"+url.PathEscape(id), query, &reply); err != nil {
		return nil, err
	}
	if reply.Data == nil {
		return nil, &Error{Operation: "Nimble token get", HTTPStatus: http.StatusNotFound, Code: "SM_http_not_found", Text: "the reply held no token"}
	}
	return reply.Data, nil
}

// replyError is the error a reply stands for: a Nimble error, a redirect, or a body
// that is not JSON at all, such as a proxy's login page answered with 200, which must
// never pass for a success.
func replyError(operation string, resp *transport.Response) error {
	notJSON := resp.NotJSON()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 && !notJSON {
		return nil
	}
	apiErr := &Error{Operation: operation, HTTPStatus: resp.StatusCode}
	if notJSON {
		apiErr.Text = "not Nimble JSON: " + transport.Describe(resp)
		return apiErr
	}
	var reply struct {
		Messages []struct {
			Code string `json:"code"`
			Text string `json:"text"`
		} `json:"messages"`
	}
	if json.Unmarshal(resp.Body, &reply) == nil && len(reply.Messages) > 0 {
		var codes, texts []string
		for _, m := range reply.Messages {
			codes = append(codes, m.Code)
			texts = append(texts, m.Text)
		}
		apiErr.Code, apiErr.Text = strings.Join(codes, ", "), strings.Join(texts, "; ")
		return apiErr
	}
	apiErr.Text = http.StatusText(resp.StatusCode) + " (" + transport.Describe(resp) + ")"
	return apiErr
}

// RevokeUserTokens ends every session token of username except the client's own,
// trying each one even after another failed, and returns how many it ended; the error
// names each token it could not end.
func (c *Client) RevokeUserTokens(ctx context.Context, username string) (int, error) {
	tokens, err := c.ListTokens(ctx, ListOptions{Username: username})
	if err != nil {
		return 0, err
	}
	var ids []string
	for _, token := range tokens {
		// The list call signed in first, so the client's own token id is known here.
		if !c.IsOwnToken(token.ID) {
			ids = append(ids, token.ID)
		}
	}
	return transport.EndEach(ctx, "token", username, ids, c.DeleteToken)
}
