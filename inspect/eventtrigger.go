package inspect

import "context"

// eventTriggerStates spells pg_event_trigger.evtenabled after ALTER EVENT
// TRIGGER name; the default, "O", prints nothing.
var eventTriggerStates = map[string]string{"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}

// readEventTriggers prints CREATE EVENT TRIGGER for each event trigger
// that no extension made, as pg_dump builds it (the server has no
// pg_get_*def for them): the event, the tags, the function as regproc
// prints it under inspect's empty search_path; then its state, comment
// and owner. They come after the functions they run.
func (r *reader) readEventTriggers(ctx context.Context) error {
	sql := `SELECT et.oid::text, pg_catalog.quote_ident(et.evtname), et.evtevent,
			(SELECT pg_catalog.string_agg(pg_catalog.quote_literal(t), ', ') FROM pg_catalog.unnest(et.evttags) t),
			et.evtfoid::pg_catalog.regproc::text, et.evtenabled::text,
			pg_catalog.obj_description(et.oid, 'pg_event_trigger'), ` + owner("et.evtowner") + `
		FROM pg_catalog.pg_event_trigger et
		WHERE ` + extFilter("et", "pg_event_trigger")
	return r.rows(ctx, sql, func(c []string) {
		stmt := "CREATE EVENT TRIGGER " + c[1] + " ON " + c[2]
		if c[3] != "" {
			stmt += "\n    WHEN TAG IN (" + c[3] + ")"
		}
		it := &item{key: key{"pg_event_trigger", c[0]}, rank: rankTrigger, name: c[1],
			sql: []string{stmt + "\n    EXECUTE FUNCTION " + c[4] + "();"}}
		if s := eventTriggerStates[c[5]]; s != "" {
			it.sql = append(it.sql, "ALTER EVENT TRIGGER "+c[1]+" "+s+";")
		}
		it.sql = append(it.sql, comment("EVENT TRIGGER "+c[1], c[6])...)
		it.sql = append(it.sql, r.ownerSQL("EVENT TRIGGER", c[1], c[7])...)
		r.add(it)
	})
}
