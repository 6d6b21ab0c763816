package provider

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// cleanupTB is the part of testing.TB that destroyCheck uses, so that its own test
// can hand it a recorder instead of a test.
type cleanupTB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
	Failed() bool
	Skipped() bool
}

// destroyCheck is the CheckDestroy of every test case that has one. The framework
// calls CheckDestroy only when the state still holds a resource after the last step,
// so a check in a test whose state ends empty (nothing created, a failed create, a
// last step that destroys) would pass without running; destroyCheck fails such a
// test instead. A test that failed or was skipped earlier is not blamed twice.
func destroyCheck(t cleanupTB, checks ...resource.TestCheckFunc) resource.TestCheckFunc {
	t.Helper()
	called := false
	t.Cleanup(func() {
		if !called && !t.Failed() && !t.Skipped() {
			t.Errorf("CheckDestroy never ran: the state held no resource after the last step; check after resource.Test returns or in a step instead")
		}
	})
	return func(state *terraform.State) error {
		called = true
		return resource.ComposeAggregateTestCheckFunc(checks...)(state)
	}
}

// cleanupRecorder stands in for a test: it keeps the cleanups and the errors.
type cleanupRecorder struct {
	cleanups        []func()
	errors          []string
	failed, skipped bool
}

func (r *cleanupRecorder) Helper()          {}
func (r *cleanupRecorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *cleanupRecorder) Failed() bool     { return r.failed || len(r.errors) > 0 }
func (r *cleanupRecorder) Skipped() bool    { return r.skipped }
func (r *cleanupRecorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// finish runs the cleanups, last registered first, as testing does.
func (r *cleanupRecorder) finish() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestDestroyCheckFailsATestThatNeverCallsIt(t *testing.T) {
	failing := func(*terraform.State) error { return errors.New("user still exists") }
	passing := func(*terraform.State) error { return nil }
	for _, tc := range []struct {
		name            string
		call            bool
		failed, skipped bool
		checks          []resource.TestCheckFunc
		wantCheckErr    string
		wantTestErr     bool
	}{
		{name: "never called", wantTestErr: true},
		{name: "never called, checks pass", checks: []resource.TestCheckFunc{passing}, wantTestErr: true},
		{name: "called, checks pass", call: true, checks: []resource.TestCheckFunc{passing, passing}},
		{name: "called, a check fails", call: true, checks: []resource.TestCheckFunc{passing, failing}, wantCheckErr: "user still exists"},
		{name: "never called, test failed already", failed: true},
		{name: "never called, test skipped", skipped: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recorder := &cleanupRecorder{failed: tc.failed, skipped: tc.skipped}
			check := destroyCheck(recorder, tc.checks...)
			if tc.call {
				err := check(nil)
				if tc.wantCheckErr == "" && err != nil || tc.wantCheckErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantCheckErr)) {
					t.Errorf("check returned %v, want an error containing %q", err, tc.wantCheckErr)
				}
			}
			recorder.finish()
			if got := len(recorder.errors) > 0; got != tc.wantTestErr {
				t.Errorf("test failed: %t, want %t (errors %q)", got, tc.wantTestErr, recorder.errors)
			}
			if tc.wantTestErr && !strings.Contains(recorder.errors[0], "CheckDestroy never ran") {
				t.Errorf("error %q does not say the check never ran", recorder.errors[0])
			}
		})
	}
}

// TestAssertionsSitWhereTheyRun reads this package's tests: every CheckDestroy goes
// through destroyCheck, and no step carries a Check or state check the framework
// skips (checksSkippedBy).
func TestAssertionsSitWhereTheyRun(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			literal, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			fields := map[string]ast.Expr{}
			for _, element := range literal.Elts {
				if kv, ok := element.(*ast.KeyValueExpr); ok {
					if key, ok := kv.Key.(*ast.Ident); ok {
						fields[key.Name] = kv.Value
					}
				}
			}
			if value, ok := fields["CheckDestroy"]; ok {
				if call, ok := value.(*ast.CallExpr); !ok || !isIdent(call.Fun, "destroyCheck") {
					t.Errorf("%s: CheckDestroy not through destroyCheck", fset.Position(value.Pos()))
				}
			}
			for _, checks := range []string{"Check", "ConfigStateChecks"} {
				if _, ok := fields[checks]; !ok {
					continue
				}
				for field, why := range checksSkippedBy {
					if _, ok := fields[field]; ok {
						t.Errorf("%s: %s on a step with %s: %s", fset.Position(literal.Pos()), checks, field, why)
					}
				}
			}
			return true
		})
	}
}

// checksSkippedBy is what terraform-plugin-testing (v1.16) does with the Check and
// ConfigStateChecks of a step that sets one of these fields.
var checksSkippedBy = map[string]string{
	"ExpectError": "they run only when the apply succeeds, which the step expects it not to",
	"PlanOnly":    "the step applies nothing and skips them",
	"ImportState": "the framework skips them",
	"Query":       "the framework skips them",
}

func isIdent(expr ast.Expr, name string) bool {
	id, ok := expr.(*ast.Ident)
	return ok && id.Name == name
}
