package nitro

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

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

// keepMatching applies the filter on the client's side to rows of a reply type whose
// json tags are the NITRO property names that filter= takes: a row stays when it holds
// each value or, for a list property such as groups, contains it. Appliances differ in
// what they honour (some ignore filter= entirely, some match loosely), so the appliance
// can only narrow a result, never widen it. Fields are looked up once, not per row.
func keepMatching[T any](f Filter, rows []T) []T {
	if len(f) == 0 {
		return rows
	}
	type term struct {
		index []int
		want  string
	}
	terms := make([]term, 0, len(f))
	for name, want := range f {
		field, ok := fieldByJSONName(reflect.TypeFor[T](), name)
		if !ok {
			return rows[:0] // no row has a property the type does not know
		}
		terms = append(terms, term{field.Index, want})
	}
	kept := rows[:0]
	for _, row := range rows {
		value := reflect.ValueOf(row)
		if !slices.ContainsFunc(terms, func(t term) bool { return !holds(value.FieldByIndex(t.index), t.want) }) {
			kept = append(kept, row)
		}
	}
	return kept
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// holds compares as filter= does: by the value's text.
func holds(v reflect.Value, want string) bool {
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			if fmt.Sprint(v.Index(i).Interface()) == want {
				return true
			}
		}
		return false
	}
	return fmt.Sprint(v.Interface()) == want
}

// eachPage reads a NITRO v2 collection page by page (pagesize, pageno) and hands each
// page's new rows to yield, until a page comes back short or yield returns false: no
// page is requested that nobody will read. A page longer than pagesize is the whole
// list: the appliance ignored pagesize, and asking for page 2 would only fetch (and
// hold) it again. Rows are de-duplicated by id, and a page that adds nothing new ends
// the listing, so an appliance that ignores pageno, or moves rows between pages while
// they are read, can neither loop the client nor double a row.
func eachPage[E any, T any](ctx context.Context, c *Client, operation, path string, filter Filter, pageSize int, rows func(*E) []T, id func(T) string, yield func([]T) bool) error {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	seen := map[string]bool{}
	for page := 1; ; page++ {
		reply, err := listPage(ctx, c, operation, path, filter, pageSize, page, rows)
		if err != nil {
			return err
		}
		added := reply[:0]
		for _, row := range reply {
			if key := id(row); !seen[key] {
				seen[key] = true
				added = append(added, row)
			}
		}
		if len(added) > 0 && !yield(added) {
			return nil
		}
		if len(reply) != pageSize || len(added) == 0 {
			return nil
		}
	}
}

// listPage reads page number page (from 1) of a NITRO v2 collection.
func listPage[E any, T any](ctx context.Context, c *Client, operation, path string, filter Filter, pageSize, page int, rows func(*E) []T) ([]T, error) {
	query := url.Values{"pagesize": {strconv.Itoa(pageSize)}, "pageno": {strconv.Itoa(page)}}
	if len(filter) > 0 {
		query.Set("filter", filter.encode())
	}
	var reply E
	if _, err := c.call(ctx, transport.Request{Operation: operation, Method: http.MethodGet, Path: path, Query: query, Idempotent: true}, &reply); err != nil {
		return nil, err
	}
	return rows(&reply), nil
}
