package provider

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/accessplane/terraform-provider-accessplane/internal/transport"
)

// stringCheck turns a function that explains what is wrong with a value (or returns
// "") into a plan-time validator; unknown and null values are left to later.
type stringCheck struct {
	description string
	summary     string
	check       func(string) string
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, req.Path.String()+": "+problem)
	}
}

// errorText adapts a parse function to stringCheck.
func errorText(err error) string {
	if err != nil {
		return err.Error()
	}
	return ""
}

// endpointValidator accepts a base URL: http(s), host, optional port, no path.
func endpointValidator() validator.String {
	return stringCheck{
		description: "must be a base URL such as https://adm.example.net or http://127.0.0.1:8080",
		summary:     "Invalid endpoint",
		check: func(s string) string {
			_, err := transport.ParseEndpoint(s)
			return errorText(err)
		},
	}
}

// pemValidator accepts text holding at least one PEM certificate.
func pemValidator() validator.String {
	return stringCheck{
		description: "must hold one or more PEM-encoded certificates",
		summary:     "Invalid CA certificate",
		check: func(s string) string {
			_, err := transport.TLSConfig(s, false)
			return errorText(err)
		},
	}
}

// durationValidator accepts a positive Go duration.
func durationValidator() validator.String {
	return stringCheck{
		description: "must be a positive duration such as 30s or 2m",
		summary:     "Invalid duration",
		check: func(s string) string {
			_, err := parsePositiveDuration(s)
			return errorText(err)
		},
	}
}

func nonEmptyValidator() validator.String { return stringvalidator.LengthAtLeast(1) }

// charactersBetween bounds a string's length in characters, as the vendors' pages
// state their limits ("1 to 128", "up to 104 printable characters"); a byte count
// would refuse 43 CJK characters as 129.
func charactersBetween(minimum, maximum int) validator.String {
	return stringvalidator.UTF8LengthBetween(minimum, maximum)
}

// charactersAtMost is charactersBetween without a minimum.
func charactersAtMost(maximum int) validator.String { return stringvalidator.UTF8LengthAtMost(maximum) }

// objectIDValidator rejects ids that cannot be an appliance's object id: empty, or
// holding path and query characters, percent signs, spaces or control characters.
// Such a value is almost always a pasted URL or a typo, and would otherwise reach
// the appliance as a different path.
func objectIDValidator() validator.String {
	return stringCheck{
		description: "must be a non-empty object id without '/', '?', '#', '%', spaces or control characters",
		summary:     "Invalid id",
		check:       objectIDProblem,
	}
}

func objectIDProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if i := strings.IndexFunc(s, func(r rune) bool {
		return strings.ContainsRune("/?#%", r) || unicode.IsSpace(r) || unicode.IsControl(r)
	}); i >= 0 {
		return "must not contain " + quoteRune(s, i) + "; give the object id exactly as the appliance reports it"
	}
	return ""
}

// commaProblem refuses a value bound for NITRO's filter=, whose syntax separates
// terms with ',' and has no way to escape one.
func commaProblem(s string) string {
	if strings.Contains(s, ",") {
		return "must not contain ',' (NITRO's filter syntax separates terms with it)"
	}
	return ""
}

// filterValueValidator rejects characters that NITRO's filter= syntax uses as separators.
func filterValueValidator() validator.String {
	return stringCheck{description: "must not contain ','", summary: "Invalid filter value", check: commaProblem}
}

// userNameValidator guards accessplane_mpsuser's name. A name with ',' could be
// created, but the provider finds a user by name only through filter=name:<name>:
// import by name:, and the look-up after a create whose reply was lost, which is
// what keeps such a create from leaving a duplicate or an orphan. Listing every user
// to match the name instead would make each of those look-ups cost a full listing,
// so the name is refused at plan time, as the data sources' filters are.
func userNameValidator() validator.String {
	return stringCheck{
		description: "must not contain ','",
		summary:     "Invalid user name",
		check: func(s string) string {
			if problem := commaProblem(s); problem != "" {
				return problem + "; the provider finds users by name with it, to import them by name and after a lost create reply"
			}
			return ""
		},
	}
}

func quoteRune(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return "whitespace"
	}
	return "'" + string(r) + "'"
}

// pathID is the id attribute, named in lookup diagnostics.
var pathID = path.Root("id")

// ipv4Validator accepts a dotted-quad IPv4 address, the form Nimble reports.
func ipv4Validator() validator.String {
	return stringCheck{
		description: "must be an IPv4 address such as 10.0.0.1",
		summary:     "Invalid IP address",
		check: func(s string) string {
			if ip, err := netip.ParseAddr(s); err != nil || !ip.Is4() {
				return quote(s) + " is not an IPv4 address such as 10.0.0.1"
			}
			return ""
		},
	}
}

// clusterUserIDRule states the user ids clusterUserIDValidator accepts, for schema
// descriptions.
const clusterUserIDRule = "1 to 255 characters: letters, digits, `.`, `_`, `-`, `@` and `+`."

// clusterUserIDValidator accepts a Dynatrace user id as the Cluster API names users:
// local user names, LDAP account names and SSO e-mail addresses. Anything else (a
// space, '&', '=', '/', '%', quotes) is a pasted display name or URL fragment that the
// API cannot match, and would otherwise end nobody's sessions without an error.
func clusterUserIDValidator() validator.String {
	return stringCheck{
		description: "must be a Dynatrace user id of " + clusterUserIDRule,
		summary:     "Invalid user id",
		check:       clusterUserIDProblem,
	}
}

func clusterUserIDProblem(s string) string {
	switch {
	case s == "":
		return "must not be empty"
	case utf8.RuneCountInString(s) > 255:
		return "must be at most 255 characters"
	}
	if i := strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@+", r)
	}); i >= 0 {
		return "must not contain " + quoteRune(s, i) + "; a Dynatrace user id has only letters, digits, '.', '_', '-', '@' and '+'"
	}
	return ""
}

// printableValidator rejects control characters, which no appliance user name holds.
func printableValidator() validator.String {
	return stringCheck{
		description: "must hold printable characters only",
		summary:     "Invalid user name",
		check: func(s string) string {
			if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }); i >= 0 {
				return fmt.Sprintf("must hold printable characters only, not %q", []rune(s[i:])[0])
			}
			return ""
		},
	}
}
