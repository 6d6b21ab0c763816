package nitro

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

const userPath = "/nitro/v2/config/mpsuser"

// DefaultPageSize is how many users one list call asks for.
const DefaultPageSize = 1000

// UserSpec is the writable part of an mpsuser. Only fields that are set go on the wire.
type UserSpec struct {
	ID                      string    `json:"id,omitempty"`
	Name                    string    `json:"name,omitempty"`
	Password                string    `json:"password,omitempty"`
	TenantID                string    `json:"tenant_id,omitempty"`
	Groups                  *[]string `json:"groups,omitempty"`
	ExternalAuthentication  *bool     `json:"external_authentication,omitempty"`
	ExternalGroupMappingOID string    `json:"external_group_mapping_oid,omitempty"`
	EnableSessionTimeout    *bool     `json:"enable_session_timeout,omitempty"`
	SessionTimeout          *int64    `json:"session_timeout,omitempty"`
	SessionTimeoutUnit      string    `json:"session_timeout_unit,omitempty"`
	MPSUserName             string    `json:"mpsuser_name,omitempty"`
	Unlock                  *bool     `json:"unlock,omitempty"`
}

// User is an mpsuser as the appliance reports it. The password and its hashes
// (password, one_way_password, one_way_pbkdf2_password) have no field here on purpose:
// they are never decoded, so they can never be stored.
type User struct {
	ID                      string     `json:"id"`
	Name                    string     `json:"name"`
	TenantID                string     `json:"tenant_id"`
	Groups                  stringList `json:"groups"`
	ExternalAuthentication  bool       `json:"external_authentication"`
	ExternalGroupMappingOID string     `json:"external_group_mapping_oid"`
	EnableSessionTimeout    bool       `json:"enable_session_timeout"`
	SessionTimeout          FlexInt    `json:"session_timeout"`
	SessionTimeoutUnit      string     `json:"session_timeout_unit"`
	MPSUserName             string     `json:"mpsuser_name"`
	Permission              string     `json:"permission"`
	TenantName              string     `json:"tenant_name"`
	IsDefault               bool       `json:"is_default"`
	IsSuperuser             bool       `json:"issuperuser"`
	NSRootUser              string     `json:"nsroot_user"`
	ForceChangePassword     bool       `json:"force_change_password"`
	Encrypted               bool       `json:"encrypted"`
}

type userEnvelope struct {
	envelope
	Users []User `json:"mpsuser"`
}

// CreateUser adds a user. When the reply is lost or the appliance answers 5xx, the
// user may have been stored anyway, so before each retry the client looks the name up
// and adopts the user it finds instead of adding a duplicate.
func (c *Client) CreateUser(ctx context.Context, spec UserSpec) (*User, Warnings, error) {
	body, err := json.Marshal(map[string]UserSpec{"mpsuser": spec})
	if err != nil {
		return nil, nil, err
	}
	req := transport.Request{Operation: "mpsuser add", Method: http.MethodPost, Path: userPath, Body: body}
	for attempt := 1; ; attempt++ {
		var reply userEnvelope
		warnings, err := c.call(ctx, req, &reply)
		if err == nil {
			user, err := single("mpsuser add", reply.Users)
			return user, warnings, err
		}
		if !MayHaveSucceeded(err) || attempt > c.http.MaxRetries() {
			return nil, nil, err
		}
		if existing, findErr := c.FindUserByName(ctx, spec.Name); findErr == nil && existing != nil {
			return existing, nil, nil
		}
		if sleepErr := c.http.Sleep(ctx, c.http.Backoff(attempt)); sleepErr != nil {
			return nil, nil, err
		}
	}
}

// GetUser reads one user by NITRO id.
func (c *Client) GetUser(ctx context.Context, id string) (*User, error) {
	var reply userEnvelope
	_, err := c.call(ctx, transport.Request{
		Operation: "mpsuser get", Method: http.MethodGet, Path: userPath + "/" + escape(id), Idempotent: true,
	}, &reply)
	if err != nil {
		return nil, err
	}
	return single("mpsuser get", reply.Users)
}

// UpdateUser sends spec (which must carry the id) and returns the stored user.
func (c *Client) UpdateUser(ctx context.Context, spec UserSpec) (*User, Warnings, error) {
	if spec.ID == "" {
		return nil, nil, fmt.Errorf("mpsuser update: the user id is empty")
	}
	body, err := json.Marshal(map[string]UserSpec{"mpsuser": spec})
	if err != nil {
		return nil, nil, err
	}
	var reply userEnvelope
	warnings, err := c.call(ctx, transport.Request{
		Operation: "mpsuser update", Method: http.MethodPut, Path: userPath + "/" + escape(spec.ID), Body: body,
		// PUT replaces the listed fields with the same values however often it is sent.
		Idempotent: true,
	}, &reply)
	if err != nil {
		return nil, nil, err
	}
	user, err := single("mpsuser update", reply.Users)
	return user, warnings, err
}

// DeleteUser removes a user; a user that is already gone is success.
func (c *Client) DeleteUser(ctx context.Context, id string) (Warnings, error) {
	warnings, err := c.call(ctx, transport.Request{
		Operation: "mpsuser delete", Method: http.MethodDelete, Path: userPath + "/" + escape(id), Idempotent: true,
	}, nil)
	if IsNotFound(err) {
		return nil, nil
	}
	return warnings, err
}

// Filter is a set of exact property matches for NITRO's filter= parameter.
type Filter map[string]string

// encode renders the filter in a stable order: name1:value1,name2:value2.
func (f Filter) encode() string {
	keys := make([]string, 0, len(f))
	for key := range f {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	terms := make([]string, 0, len(keys))
	for _, key := range keys {
		terms = append(terms, key+":"+f[key])
	}
	return strings.Join(terms, ",")
}

// ListUsers returns every user matching filter, paging pageSize users per call
// (DefaultPageSize when 0). A short page ends the listing.
func (c *Client) ListUsers(ctx context.Context, filter Filter, pageSize int) ([]User, error) {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	var users []User
	for page := 1; ; page++ {
		query := url.Values{"pagesize": {strconv.Itoa(pageSize)}, "pageno": {strconv.Itoa(page)}}
		if len(filter) > 0 {
			query.Set("filter", filter.encode())
		}
		var reply userEnvelope
		if _, err := c.call(ctx, transport.Request{
			Operation: "mpsuser list", Method: http.MethodGet, Path: userPath, Query: query, Idempotent: true,
		}, &reply); err != nil {
			return nil, err
		}
		users = append(users, reply.Users...)
		if len(reply.Users) < pageSize {
			return users, nil
		}
	}
}

// CountUsers asks the appliance how many users match filter.
func (c *Client) CountUsers(ctx context.Context, filter Filter) (int64, error) {
	query := url.Values{"count": {"yes"}}
	if len(filter) > 0 {
		query.Set("filter", filter.encode())
	}
	var reply struct {
		envelope
		Counts []struct {
			Count FlexInt `json:"__count"`
		} `json:"mpsuser"`
	}
	if _, err := c.call(ctx, transport.Request{
		Operation: "mpsuser count", Method: http.MethodGet, Path: userPath, Query: query, Idempotent: true,
	}, &reply); err != nil {
		return 0, err
	}
	if len(reply.Counts) == 0 {
		return 0, nil
	}
	return int64(reply.Counts[0].Count), nil
}

// FindUserByName returns the user called name, or nil when there is none.
func (c *Client) FindUserByName(ctx context.Context, name string) (*User, error) {
	users, err := c.ListUsers(ctx, Filter{"name": name}, 0)
	if err != nil {
		return nil, err
	}
	for i := range users {
		// The filter may match loosely on some builds; only an exact name counts.
		if users[i].Name == name {
			return &users[i], nil
		}
	}
	return nil, nil
}

// single returns the one object of a reply. A success reply without one is a broken
// reply, not a sign that the object is gone: treating it as "gone" would make
// Terraform forget an object that still exists.
func single[T any](operation string, items []T) (*T, error) {
	if len(items) == 0 {
		return nil, &Error{Kind: KindOther, Operation: operation, HTTPStatus: http.StatusOK, Message: "the reply held no object"}
	}
	return &items[0], nil
}

// stringList decodes a list that some NITRO builds send as one comma-separated string.
type stringList []string

func (l *stringList) UnmarshalJSON(data []byte) error {
	var list []string
	if err := json.Unmarshal(data, &list); err == nil {
		*l = list
		return nil
	}
	var text *string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("expected a list of strings, got %.40s", data)
	}
	*l = nil
	if text != nil && *text != "" {
		for _, item := range strings.Split(*text, ",") {
			*l = append(*l, strings.TrimSpace(item))
		}
	}
	return nil
}
