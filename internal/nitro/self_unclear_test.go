package nitro

import (
	"encoding/json"
	"testing"
)

// TestSelfUnclear: SelfUnclear is true exactly when is_self cannot be read (missing,
// empty, null or odd), in which case IsSelf also reads true; an explicit true or false,
// typed or as a string, is clear.
func TestSelfUnclear(t *testing.T) {
	for raw, want := range map[string]struct{ isSelf, unclear bool }{
		`{"id":"1"}`:                   {true, true},
		`{"id":"1","is_self":null}`:    {true, true},
		`{"id":"1","is_self":""}`:      {true, true},
		`{"id":"1","is_self":"yes"}`:   {true, true},
		`{"id":"1","is_self":7}`:       {true, true},
		`{"id":"1","is_self":true}`:    {true, false},
		`{"id":"1","is_self":"true"}`:  {true, false},
		`{"id":"1","is_self":false}`:   {false, false},
		`{"id":"1","is_self":"false"}`: {false, false},
	} {
		var s Session
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if s.IsSelf != want.isSelf || s.SelfUnclear() != want.unclear {
			t.Errorf("%s: IsSelf %t, SelfUnclear %t; want %t and %t", raw, s.IsSelf, s.SelfUnclear(), want.isSelf, want.unclear)
		}
	}
}
