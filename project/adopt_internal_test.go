package project

import "testing"

// TestMentionsNames: the cheap test that spares adoptUnmanaged a copy of
// the schema's catalog when the schema file cannot hold the object (the
// unmanaged statement was removed): the object's own name must be in the
// text, whatever its case, its schema aside.
func TestMentionsNames(t *testing.T) {
	text := "create table events (id int);\ncreate publication events_pub for table events;\n"
	for _, tt := range []struct {
		key  string
		want bool
	}{
		{"PUBLICATION events_pub", true},
		{"PUBLICATION other_pub", false},
		{"RULE events_keep ON events", false},
		{"TABLE public.events", true}, // the schema file may leave public out
		{"TABLE app.orders", false},
		{"CAST (int AS text)", true},
		{`PUBLICATION "Events_Pub"`, true},
	} {
		if got := mentionsNames(text, tt.key); got != tt.want {
			t.Errorf("mentionsNames(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}
