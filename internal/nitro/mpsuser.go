package nitro

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	ExternalAuthentication  FlexBool   `json:"external_authentication"`
	ExternalGroupMappingOID string     `json:"external_group_mapping_oid"`
	EnableSessionTimeout    FlexBool   `json:"enable_session_timeout"`
	SessionTimeout          FlexInt    `json:"session_timeout"`
	SessionTimeoutUnit      string     `json:"session_timeout_unit"`
	MPSUserName             string     `json:"mpsuser_name"`
	Permission              string     `json:"permission"`
	TenantName              string     `json:"tenant_name"`
	IsDefault               FlexBool   `json:"is_default"`
	IsSuperuser             FlexBool   `json:"issuperuser"`
	NSRootUser              string     `json:"nsroot_user"`
	ForceChangePassword     FlexBool   `json:"force_change_password"`
	Encrypted               FlexBool   `json:"encrypted"`
}

type userEnvelope struct {
	envelope
	Users []User `json:"mpsuser"`
}

// Created is what CreateUser did.
type Created struct {
	User     *User
	Warnings Warnings
	// Adopted says the create failed ambiguously and a user of that name was found:
	// the one the create stored, or one that existed before it. Either way it was
	// updated to the spec, password included, and is the caller's now.
	Adopted bool
}

// UnsettledCreateError reports a create that failed ambiguously where looking the name
// up could not settle what it did: a user of that name may exist on the appliance,
// unknown to the caller or unlike the spec.
type UnsettledCreateError struct{ Err error }

func (e *UnsettledCreateError) Error() string { return e.Err.Error() }
func (e *UnsettledCreateError) Unwrap() error { return e.Err }

// CreateUser adds a user. A create can fail ambiguously: its reply is lost, times out
// or is a gateway or overload error, or a success reply cannot be read. The user may
// then have been stored anyway, so rather than add a duplicate the client looks the
// name up: before each retry (the transport asks), or once after an unreadable
// success. A user found so may be someone's existing account with another password,
// so it is adopted only through one UpdateUser that brings it to spec.
func (c *Client) CreateUser(ctx context.Context, spec UserSpec) (Created, error) {
	body, err := json.Marshal(map[string]UserSpec{"mpsuser": spec})
	if err != nil {
		return Created{}, err
	}
	var found *User
	var findErr error
	lookUp := func(ctx context.Context) bool {
		found, findErr = c.FindUserByName(ctx, spec.Name)
		return findErr == nil && found != nil
	}
	var reply userEnvelope
	warnings, err := c.call(ctx, transport.Request{
		Operation: "mpsuser add", Method: http.MethodPost, Path: userPath, Body: body,
		TookEffect: lookUp,
	}, &reply)
	switch {
	case errors.Is(err, transport.ErrTookEffect):
		return c.adopt(ctx, spec, found, "the reply to the create was lost")
	case err != nil && !errors.Is(err, errNotNITROJSON):
		return Created{}, err
	case err == nil:
		var user *User
		if user, err = single("mpsuser add", reply.Users); err == nil {
			c.refresh.wrote(user.ID)
			return Created{User: user, Warnings: warnings}, nil
		}
	}
	// A success status whose reply holds no readable user: most likely stored.
	if !lookUp(ctx) {
		if findErr != nil {
			return Created{}, &UnsettledCreateError{Err: fmt.Errorf("%w; looking the user up afterwards failed too: %v", err, findErr)}
		}
		return Created{}, &UnsettledCreateError{Err: fmt.Errorf("%w; looking the user up afterwards found none", err)}
	}
	return c.adopt(ctx, spec, found, "the reply to the create could not be read")
}

// adopt brings the user found after an ambiguous create to spec.
func (c *Client) adopt(ctx context.Context, spec UserSpec, found *User, why string) (Created, error) {
	// The built-in account (nsroot) always exists, so finding it proves nothing about
	// the create, and changing its password behind a lost reply could lock out every
	// administrator: it is taken over only by an explicit import.
	if found.IsDefault {
		return Created{}, &UnsettledCreateError{Err: fmt.Errorf(
			"mpsuser add: %s and the user %q (id %s) found is the appliance's built-in default user, which is never adopted this way", why, spec.Name, found.ID)}
	}
	spec.ID = found.ID
	user, warnings, err := c.UpdateUser(ctx, spec)
	if err != nil {
		return Created{}, &UnsettledCreateError{Err: fmt.Errorf(
			"mpsuser add: %s and a user %q (id %s) was found, but updating it to the configuration failed: %w", why, spec.Name, found.ID, err)}
	}
	return Created{User: user, Warnings: warnings, Adopted: true}, nil
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
	// Recorded before sending: a listing taken while the PUT is under way may hold
	// either version of the user, so reads of it must not come from a snapshot.
	c.refresh.wrote(spec.ID)
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
	c.refresh.wrote(id)
	warnings, err := c.call(ctx, transport.Request{
		Operation: "mpsuser delete", Method: http.MethodDelete, Path: userPath + "/" + escape(id), Idempotent: true,
	}, nil)
	if IsNotFound(err) {
		return nil, nil
	}
	return warnings, err
}

// ListUsers returns every user matching filter, paging pageSize users per call
// (DefaultPageSize when 0).
func (c *Client) ListUsers(ctx context.Context, filter Filter, pageSize int) ([]User, error) {
	var users []User
	err := c.UserPages(ctx, filter, pageSize, func(page []User) bool {
		users = append(users, page...)
		return true
	})
	if err != nil {
		return nil, err
	}
	return slices.Clip(users), nil
}

// UserPages hands the users matching filter to yield one page at a time, pageSize
// users per call (DefaultPageSize when 0), and asks for no further page once yield
// returns false.
func (c *Client) UserPages(ctx context.Context, filter Filter, pageSize int, yield func([]User) bool) error {
	return eachPage(ctx, c, "mpsuser list", userPath, filter, pageSize, usersOf, func(u User) string { return u.ID }, func(page []User) bool {
		return yield(keepMatching(filter, page))
	})
}

// firstUserPage is the first pageSize users: all of them when the appliance holds
// fewer, or ignores pagesize.
func (c *Client) firstUserPage(ctx context.Context, pageSize int) ([]User, error) {
	return listPage(ctx, c, "mpsuser list", userPath, nil, pageSize, 1, usersOf)
}

func usersOf(reply *userEnvelope) []User { return reply.Users }

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
	if len(users) == 0 {
		return nil, nil
	}
	return &users[0], nil
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
