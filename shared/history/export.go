package history

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"roster/shared/domain"
)

// Format is an export format.
type Format string

// Export formats.
const (
	FormatCSV   Format = "csv"
	FormatJSONL Format = "jsonl"
)

// ParseFormat accepts csv (the default when empty) and jsonl. It returns a
// 400 invalid_format error for anything else.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case "", FormatCSV:
		return FormatCSV, nil
	case FormatJSONL:
		return FormatJSONL, nil
	}
	return "", invalidFormat
}

var invalidFormat = domain.CodeInvalidFormat.Field("format", "")

// ContentType returns the media type of the format.
func (f Format) ContentType() string {
	if f == FormatJSONL {
		return "application/x-ndjson; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// Extension returns the file name extension of the format.
func (f Format) Extension() string { return string(f) }

// CSVHeader is the first row of a CSV export.
var CSVHeader = []string{"time", "action", "actor_name", "actor_email", "actor_user_id", "target_kind", "target_name",
	"target_email", "target_user_id", "target_id", "changes", "source_ip", "user_agent", "request_id", "event_id"}

// Writer writes an export one event at a time, so that the caller can read
// the history page by page and stop at a size bound.
type Writer struct {
	format Format
	w      io.Writer
	csv    *csv.Writer
	header bool
}

// NewWriter returns a Writer of the format onto w.
func NewWriter(w io.Writer, f Format) *Writer {
	x := &Writer{format: f, w: w}
	if f == FormatCSV {
		x.csv = csv.NewWriter(w)
	}
	return x
}

// NewContinuation returns a writer of a later part of an export: a CSV
// part without the header the first part holds.
func NewContinuation(w io.Writer, f Format) *Writer {
	x := NewWriter(w, f)
	x.header = true
	return x
}

// Write writes one event (the CSV header before the first). It returns the
// underlying writer's error.
func (x *Writer) Write(it Item) error {
	if x.format == FormatJSONL {
		b, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("encode event %s: %w", it.ID, err)
		}
		_, err = x.w.Write(append(b, '\n'))
		return err
	}
	if !x.header {
		x.header = true
		if err := x.csv.Write(CSVHeader); err != nil {
			return err
		}
	}
	actorName := it.Actor.Name
	if it.Actor.System {
		actorName = "Roster (system)"
	}
	row := []string{it.At, it.Action, actorName, it.Actor.Email, it.Actor.UserID, it.Target.Kind, it.Target.Name,
		it.Target.Email, it.Target.UserID, it.Target.ID, strings.Join(it.Changes, "\n"), it.SourceIP, it.UserAgent, it.RequestID, it.ID}
	for i := range row {
		row[i] = SafeCell(row[i])
	}
	if err := x.csv.Write(row); err != nil {
		return err
	}
	x.csv.Flush()
	return x.csv.Error()
}

// Close finishes the export: a CSV export with no event still gets its
// header. It returns the underlying writer's error.
func (x *Writer) Close() error {
	if x.format == FormatCSV {
		if !x.header {
			x.header = true
			if err := x.csv.Write(CSVHeader); err != nil {
				return err
			}
		}
		x.csv.Flush()
		return x.csv.Error()
	}
	return nil
}

// SafeCell guards a CSV cell against formula injection: a spreadsheet runs a
// cell that begins with =, +, -, @ (or a tab or carriage return before one),
// so such a cell gets a leading apostrophe and is shown as text.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
