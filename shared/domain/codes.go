package domain

import "sort"

// Code is one entry of the error catalog (codes_catalog.go): the code
// clients branch on, the kind that gives its HTTP status, and the message
// people read unless the call site knows more.
type Code struct {
	Name    string
	Kind    string
	Message string
}

// Err returns the code's error with its default message.
func (c Code) Err() *Error { return &Error{Kind: c.Kind, Code: c.Name, Message: c.Message} }

// Msg returns the code's error with message, or the default when empty.
func (c Code) Msg(message string) *Error {
	e := c.Err()
	if message != "" {
		e.Message = message
	}
	return e
}

// Field returns the code's error about one input field, with message or
// the default when empty.
func (c Code) Field(field, message string) *Error {
	e := c.Msg(message)
	e.Field = field
	return e
}

// In returns the code answered with another kind (status), where one
// context calls for it: a wrong 2FA code is 401 at sign-in but 400 in a
// settings form of a signed-in user.
func (c Code) In(kind string) Code {
	c.Kind = kind
	return c
}

var codes = map[string]Code{}

// code adds an entry to the catalog; a code is declared once.
func code(name, kind, message string) Code {
	if _, ok := codes[name]; ok {
		panic("domain: error code " + name + " is declared twice")
	}
	c := Code{Name: name, Kind: kind, Message: message}
	codes[name] = c
	return c
}

// Codes returns the catalog, sorted by name: every specific code, beside
// the kinds (E*), that an answer may carry.
func Codes() []Code {
	out := make([]Code, 0, len(codes))
	for _, c := range codes {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
