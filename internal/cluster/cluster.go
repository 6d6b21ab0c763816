// Package cluster is a typed client for the Dynatrace Managed Cluster API v2
// user-session policy (clusterConfig/userSessions) and live user sessions
// (userSessions).
package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const (
	userSessionsPath = "/api/cluster/v2/clusterConfig/userSessions"
	liveSessionsPath = "/api/cluster/v2/userSessions"
)

// Config is what the client needs to reach one cluster.
type Config struct {
	Transport transport.Config
	APIToken  string
}

// Client calls the Cluster API with an Api-Token. It is safe for concurrent use.
type Client struct {
	http  *transport.Client
	token string
}

// Name is the appliance's name in the provider configuration, empty for the default.
func (c *Client) Name() string { return c.http.Name() }

// Endpoint is the host and port of the appliance the client talks to.
func (c *Client) Endpoint() string { return c.http.Endpoint() }

// New builds a client; it makes no network call.
func New(cfg Config) (*Client, error) {
	httpClient, err := transport.New(cfg.Transport)
	if err != nil {
		return nil, err
	}
	httpClient.AddSecret(cfg.APIToken)
	return &Client{http: httpClient, token: cfg.APIToken}, nil
}

// Policy is the cluster's user-session policy. A limit of 0 means no limit.
type Policy struct {
	UserLimit                  int64
	AdminLimit                 int64
	LogoutInactiveUsersEnabled bool
	UserInactivityTimeoutSecs  int64
}

type policyWire struct {
	ConcurrentSessionPolicyDto struct {
		UserLimit  int64 `json:"userLimit"`
		AdminLimit int64 `json:"adminLimit"`
	} `json:"concurrentSessionPolicyDto"`
	AutomaticLogoutDto struct {
		LogoutInactiveUsersEnabled bool  `json:"logoutInactiveUsersEnabled"`
		UserInactivityTimeout      int64 `json:"userInactivityTimeout"`
	} `json:"automaticLogoutDto"`
}

// Error is a Cluster API error reply.
type Error struct {
	Operation  string
	HTTPStatus int
	Code       int
	Message    string
}

func (e *Error) Error() string {
	text := fmt.Sprintf("%s: HTTP %d: %s", e.Operation, e.HTTPStatus, e.Message)
	if e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden {
		text += " (the cluster api_token must be valid and have the ServiceProviderAPI permission)"
	}
	return text
}

// IsNotFound reports whether err is an HTTP 404 reply.
func IsNotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusNotFound
}

// GetUserSessions reads the policy.
func (c *Client) GetUserSessions(ctx context.Context) (*Policy, error) {
	resp, err := c.do(ctx, transport.Request{
		Operation: "cluster user-sessions get", Method: http.MethodGet, Path: userSessionsPath, Idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return decodePolicy(resp.Body)
}

// decodePolicy reads a GET reply. Both objects must be there: reading a missing one
// as zeros would show "no limit" and invite an apply that weakens the policy.
func decodePolicy(body []byte) (*Policy, error) {
	var wire struct {
		ConcurrentSessionPolicyDto *struct {
			UserLimit  *int64 `json:"userLimit"`
			AdminLimit *int64 `json:"adminLimit"`
		} `json:"concurrentSessionPolicyDto"`
		AutomaticLogoutDto *struct {
			LogoutInactiveUsersEnabled *bool  `json:"logoutInactiveUsersEnabled"`
			UserInactivityTimeout      *int64 `json:"userInactivityTimeout"`
		} `json:"automaticLogoutDto"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, fmt.Errorf("cluster user-sessions get: the cluster sent a reply that is not the expected JSON: %v", err)
	}
	limits, logout := wire.ConcurrentSessionPolicyDto, wire.AutomaticLogoutDto
	if limits == nil || logout == nil || limits.UserLimit == nil || limits.AdminLimit == nil || logout.LogoutInactiveUsersEnabled == nil || logout.UserInactivityTimeout == nil {
		return nil, errors.New("cluster user-sessions get: the reply lacks concurrentSessionPolicyDto{userLimit, adminLimit} or automaticLogoutDto{logoutInactiveUsersEnabled, userInactivityTimeout}")
	}
	return &Policy{
		UserLimit:                  *limits.UserLimit,
		AdminLimit:                 *limits.AdminLimit,
		LogoutInactiveUsersEnabled: *logout.LogoutInactiveUsersEnabled,
		UserInactivityTimeoutSecs:  *logout.UserInactivityTimeout,
	}, nil
}

// PutUserSessions replaces the whole policy.
func (c *Client) PutUserSessions(ctx context.Context, policy Policy) error {
	var wire policyWire
	wire.ConcurrentSessionPolicyDto.UserLimit = policy.UserLimit
	wire.ConcurrentSessionPolicyDto.AdminLimit = policy.AdminLimit
	wire.AutomaticLogoutDto.LogoutInactiveUsersEnabled = policy.LogoutInactiveUsersEnabled
	wire.AutomaticLogoutDto.UserInactivityTimeout = policy.UserInactivityTimeoutSecs
	body, err := json.Marshal(wire)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, transport.Request{
		Operation: "cluster user-sessions update", Method: http.MethodPut, Path: userSessionsPath, Body: body,
		// PUT sets the whole policy, so repeating it is harmless.
		Idempotent: true,
	})
	return err
}

func (c *Client) do(ctx context.Context, req transport.Request) (*transport.Response, error) {
	req.Header = http.Header{"Authorization": {"Api-Token " + c.token}}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 && !resp.NotJSON() {
		return resp, nil
	}
	return nil, decodeError(req.Operation, resp)
}

func decodeError(operation string, resp *transport.Response) error {
	var reply struct {
		Error *struct {
			Code                 int    `json:"code"`
			Message              string `json:"message"`
			ConstraintViolations []struct {
				Path    string `json:"path"`
				Message string `json:"message"`
			} `json:"constraintViolations"`
		} `json:"error"`
	}
	apiErr := &Error{Operation: operation, HTTPStatus: resp.StatusCode}
	if resp.NotJSON() {
		apiErr.Message = "not Cluster API JSON: " + transport.Describe(resp)
		return apiErr
	}
	if json.Unmarshal(resp.Body, &reply) == nil && reply.Error != nil {
		apiErr.Code = reply.Error.Code
		parts := []string{reply.Error.Message}
		for _, v := range reply.Error.ConstraintViolations {
			parts = append(parts, v.Path+": "+v.Message)
		}
		apiErr.Message = strings.Join(parts, "; ")
		return apiErr
	}
	apiErr.Message = http.StatusText(resp.StatusCode)
	if len(resp.Body) > 0 || resp.StatusCode >= 300 && resp.StatusCode < 400 {
		apiErr.Message += " (" + transport.Describe(resp) + ")"
	}
	return apiErr
}
