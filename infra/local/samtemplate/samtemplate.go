// Package samtemplate reads the parts of an AWS SAM template that the local
// gateway and the local stream pollers need: parameters with their defaults, and
// every AWS::Serverless::Function with its code location, limits, environment,
// HTTP routes and events. CloudFormation intrinsic
// functions (!Ref, !GetAtt, !Sub and their long forms) are kept as Values and
// resolved later against the names a caller knows.
package samtemplate

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Template is the parsed subset of a SAM template.
type Template struct {
	// Parameters maps each parameter's name to its default value.
	Parameters map[string]Parameter
	// Functions holds every AWS::Serverless::Function, sorted by LogicalID.
	Functions []Function
}

// Parameter is a template parameter.
type Parameter struct {
	// Default is the parameter's default value, as a string.
	Default string
}

// Function is one AWS::Serverless::Function with the Globals applied.
type Function struct {
	// LogicalID is the resource's name in the template, e.g. "HealthFunction".
	LogicalID string
	// CodeURI is the local code path, e.g. ".build/functions/health".
	CodeURI string
	// Handler is the handler name ("bootstrap" for provided runtimes).
	Handler string
	// Runtime is the function's runtime, e.g. "provided.al2023".
	Runtime string
	// Description is the function's description, if any.
	Description string
	// Timeout is the function's Timeout, else Globals.Function.Timeout, else 3s.
	Timeout time.Duration
	// MemoryMB is MemorySize, else Globals.Function.MemorySize, else 128.
	MemoryMB int
	// Env is Globals.Function.Environment.Variables merged with the function's own.
	Env map[string]Value
	// Routes are the function's HttpApi and Api events, sorted by path then method.
	Routes []Route
	// Events holds every event source, sorted by Name.
	Events []Event
}

// Route is one HTTP route of a function.
type Route struct {
	// Method is upper-case, e.g. "GET", or "ANY".
	Method string
	// Path is like "/api/accounts/{accountId}/members"; "$default" for an
	// HttpApi event without a path (API Gateway's catch-all route).
	Path string
}

// String returns the route key, e.g. "GET /api/health".
func (r Route) String() string { return r.Method + " " + r.Path }

// Event is one entry of a function's Events.
type Event struct {
	// Name is the event's key under Events, e.g. "Get".
	Name string
	// Type is the event type, e.g. "HttpApi" or "DynamoDB".
	Type string
	// Properties holds the event's properties: strings for scalars, Value for
	// intrinsic functions, map[string]any and []any for nested structures.
	Properties map[string]any
}

// Value is an env value: a literal, or an intrinsic reference. Exactly one
// field is set, except for the empty literal.
type Value struct {
	Literal string
	// Ref is the name given to !Ref / {"Ref": ...}.
	Ref string
	// GetAtt is "LogicalID.Attribute" from !GetAtt / {"Fn::GetAtt": ...}.
	GetAtt string
	// Sub is the template string of !Sub / {"Fn::Sub": ...}.
	Sub string
}

// String renders the value in CloudFormation short form, for messages.
func (v Value) String() string {
	switch {
	case v.Ref != "":
		return "!Ref " + v.Ref
	case v.GetAtt != "":
		return "!GetAtt " + v.GetAtt
	case v.Sub != "":
		return "!Sub " + strconv.Quote(v.Sub)
	default:
		return strconv.Quote(v.Literal)
	}
}

// Resolve returns the value using refs for !Ref / !GetAtt names (e.g.
// "Table" -> table name, "SiteUrl" -> origin, "Table.Arn" -> an ARN), falling
// back to parameter defaults; an unresolvable reference is an error naming it.
func (v Value) Resolve(refs map[string]string, params map[string]Parameter) (string, error) {
	switch {
	case v.Ref != "":
		return lookup(v.Ref, refs, params)
	case v.GetAtt != "":
		if s, ok := refs[v.GetAtt]; ok {
			return s, nil
		}
		return "", fmt.Errorf("samtemplate: cannot resolve !GetAtt %s: no value given for it", v.GetAtt)
	case v.Sub != "":
		return resolveSub(v.Sub, refs, params)
	default:
		return v.Literal, nil
	}
}

func lookup(name string, refs map[string]string, params map[string]Parameter) (string, error) {
	if s, ok := refs[name]; ok {
		return s, nil
	}
	if p, ok := params[name]; ok {
		return p.Default, nil
	}
	return "", fmt.Errorf("samtemplate: cannot resolve !Ref %s: no value given for it and no parameter default", name)
}

// resolveSub substitutes ${Name} and ${Resource.Attr}; ${!Text} stays as ${Text}.
func resolveSub(s string, refs map[string]string, params map[string]Parameter) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return "", fmt.Errorf("samtemplate: unterminated ${ in !Sub")
		}
		name := s[:j]
		s = s[j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		val, err := lookup(name, refs, params)
		if err != nil && strings.Contains(name, ".") {
			if got, ok := refs[name]; ok {
				val, err = got, nil
			}
		}
		if err != nil {
			return "", fmt.Errorf("samtemplate: cannot resolve ${%s} in !Sub", name)
		}
		b.WriteString(val)
	}
}

// Load parses a SAM template file.
func Load(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return t, nil
}

// Parse parses a SAM template.
func Parse(data []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("samtemplate: invalid YAML: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("samtemplate: the template is not a YAML mapping")
	}
	root := doc.Content[0]
	t := &Template{Parameters: map[string]Parameter{}}

	if params := get(root, "Parameters"); params != nil {
		err := eachPair(params, func(name string, n *yaml.Node) error {
			var p Parameter
			if d := get(n, "Default"); d != nil {
				if d.Kind != yaml.ScalarNode {
					return fmt.Errorf("parameter %s: Default must be a scalar", name)
				}
				p.Default = d.Value
			}
			t.Parameters[name] = p
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("samtemplate: %w", err)
		}
	}

	globals := get(get(root, "Globals"), "Function")
	resources := get(root, "Resources")
	if resources == nil {
		return nil, errors.New("samtemplate: the template has no Resources")
	}
	err := eachPair(resources, func(id string, res *yaml.Node) error {
		typ := get(res, "Type")
		if typ == nil || typ.Value != "AWS::Serverless::Function" {
			return nil
		}
		f, err := parseFunction(id, get(res, "Properties"), globals)
		if err != nil {
			return fmt.Errorf("function %s: %w", id, err)
		}
		t.Functions = append(t.Functions, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("samtemplate: %w", err)
	}
	sort.Slice(t.Functions, func(i, j int) bool { return t.Functions[i].LogicalID < t.Functions[j].LogicalID })
	return t, nil
}

// Function returns the function with the given logical ID.
func (t *Template) Function(logicalID string) (Function, bool) {
	for _, f := range t.Functions {
		if f.LogicalID == logicalID {
			return f, true
		}
	}
	return Function{}, false
}

func parseFunction(id string, props, globals *yaml.Node) (Function, error) {
	f := Function{LogicalID: id, Timeout: 3 * time.Second, MemoryMB: 128, Env: map[string]Value{}}
	// Globals first, then the function's own properties override them.
	for _, src := range []*yaml.Node{globals, props} {
		if src == nil {
			continue
		}
		if n := get(src, "CodeUri"); n != nil {
			if n.Kind != yaml.ScalarNode {
				return f, errors.New("CodeUri must be a local path string")
			}
			f.CodeURI = n.Value
		}
		for key, dst := range map[string]*string{"Handler": &f.Handler, "Runtime": &f.Runtime, "Description": &f.Description} {
			if n := get(src, key); n != nil && n.Kind == yaml.ScalarNode {
				*dst = n.Value
			}
		}
		if n := get(src, "Timeout"); n != nil {
			secs, err := strconv.Atoi(n.Value)
			if err != nil || secs <= 0 {
				return f, fmt.Errorf("Timeout %q is not a positive number of seconds", n.Value)
			}
			f.Timeout = time.Duration(secs) * time.Second
		}
		if n := get(src, "MemorySize"); n != nil {
			mb, err := strconv.Atoi(n.Value)
			if err != nil || mb <= 0 {
				return f, fmt.Errorf("MemorySize %q is not a positive number of MB", n.Value)
			}
			f.MemoryMB = mb
		}
		if vars := get(get(src, "Environment"), "Variables"); vars != nil {
			err := eachPair(vars, func(name string, n *yaml.Node) error {
				v, err := parseValue(n)
				if err != nil {
					return fmt.Errorf("environment variable %s: %w", name, err)
				}
				f.Env[name] = v
				return nil
			})
			if err != nil {
				return f, err
			}
		}
	}
	if f.CodeURI == "" {
		return f, errors.New("missing CodeUri")
	}
	if props == nil {
		return f, nil
	}
	if events := get(props, "Events"); events != nil {
		err := eachPair(events, func(name string, n *yaml.Node) error {
			ev := Event{Name: name, Properties: map[string]any{}}
			if t := get(n, "Type"); t != nil {
				ev.Type = t.Value
			}
			if p := get(n, "Properties"); p != nil {
				raw, err := parseAny(p)
				if err != nil {
					return fmt.Errorf("event %s: %w", name, err)
				}
				m, ok := raw.(map[string]any)
				if !ok {
					return fmt.Errorf("event %s: Properties must be a mapping", name)
				}
				ev.Properties = m
			}
			f.Events = append(f.Events, ev)
			if ev.Type == "HttpApi" || ev.Type == "Api" {
				r, err := routeOf(ev)
				if err != nil {
					return fmt.Errorf("event %s: %w", name, err)
				}
				f.Routes = append(f.Routes, r)
			}
			return nil
		})
		if err != nil {
			return f, err
		}
	}
	sort.Slice(f.Events, func(i, j int) bool { return f.Events[i].Name < f.Events[j].Name })
	sort.Slice(f.Routes, func(i, j int) bool {
		if f.Routes[i].Path != f.Routes[j].Path {
			return f.Routes[i].Path < f.Routes[j].Path
		}
		return f.Routes[i].Method < f.Routes[j].Method
	})
	return f, nil
}

func routeOf(ev Event) (Route, error) {
	path, _ := ev.Properties["Path"].(string)
	method, _ := ev.Properties["Method"].(string)
	if path == "" && method == "" && ev.Type == "HttpApi" {
		return Route{Method: "ANY", Path: "$default"}, nil
	}
	if path == "" || method == "" {
		return Route{}, errors.New("an HTTP event needs a literal Path and Method")
	}
	if !strings.HasPrefix(path, "/") {
		return Route{}, fmt.Errorf("Path %q must start with /", path)
	}
	method = strings.ToUpper(method)
	if method == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
		method = "ANY"
	}
	return Route{Method: method, Path: path}, nil
}

func valueList(n *yaml.Node) ([]Value, error) {
	if n.Kind == yaml.SequenceNode && n.Tag == "!!seq" {
		out := make([]Value, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := parseValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	v, err := parseValue(n)
	if err != nil {
		return nil, err
	}
	return []Value{v}, nil
}

// isIntrinsic reports whether n is an intrinsic function in short or long form.
func isIntrinsic(n *yaml.Node) bool {
	switch n.Tag {
	case "!Ref", "!GetAtt", "!Sub":
		return true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		switch n.Content[0].Value {
		case "Ref", "Fn::GetAtt", "Fn::Sub":
			return true
		}
	}
	return false
}

// parseValue reads a scalar or an intrinsic function.
func parseValue(n *yaml.Node) (Value, error) {
	tag, arg := n.Tag, n
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		switch n.Content[0].Value {
		case "Ref":
			tag = "!Ref"
		case "Fn::GetAtt":
			tag = "!GetAtt"
		case "Fn::Sub":
			tag = "!Sub"
		default:
			return Value{}, fmt.Errorf("unsupported function %s (line %d)", n.Content[0].Value, n.Line)
		}
		arg = n.Content[1]
	}
	switch tag {
	case "!Ref":
		if arg.Kind != yaml.ScalarNode || arg.Value == "" {
			return Value{}, fmt.Errorf("Ref needs a name (line %d)", n.Line)
		}
		return Value{Ref: arg.Value}, nil
	case "!GetAtt":
		switch {
		case arg.Kind == yaml.ScalarNode && strings.Contains(arg.Value, "."):
			return Value{GetAtt: arg.Value}, nil
		case arg.Kind == yaml.SequenceNode && len(arg.Content) == 2:
			return Value{GetAtt: arg.Content[0].Value + "." + arg.Content[1].Value}, nil
		}
		return Value{}, fmt.Errorf("GetAtt needs Resource.Attribute (line %d)", n.Line)
	case "!Sub":
		if arg.Kind == yaml.ScalarNode {
			return Value{Sub: arg.Value}, nil
		}
		if arg.Kind == yaml.SequenceNode && len(arg.Content) >= 1 && arg.Content[0].Kind == yaml.ScalarNode {
			if len(arg.Content) == 2 && len(arg.Content[1].Content) > 0 {
				return Value{}, fmt.Errorf("Sub with a variable map is not supported (line %d)", n.Line)
			}
			return Value{Sub: arg.Content[0].Value}, nil
		}
		return Value{}, fmt.Errorf("Sub needs a string (line %d)", n.Line)
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return Value{}, fmt.Errorf("unsupported tag %s (line %d)", n.Tag, n.Line)
	}
	if n.Kind != yaml.ScalarNode {
		return Value{}, fmt.Errorf("expected a string or an intrinsic function (line %d)", n.Line)
	}
	return Value{Literal: n.Value}, nil
}

// parseAny converts a node to strings, Values, map[string]any and []any.
func parseAny(n *yaml.Node) (any, error) {
	if n.Kind == yaml.AliasNode {
		return parseAny(n.Alias)
	}
	if isIntrinsic(n) || (strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!")) {
		return parseValue(n)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		err := eachPair(n, func(k string, v *yaml.Node) error {
			x, err := parseAny(v)
			m[k] = x
			return err
		})
		return m, err
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			x, err := parseAny(c)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case yaml.ScalarNode:
		return n.Value, nil
	}
	return nil, fmt.Errorf("unexpected YAML node (line %d)", n.Line)
}

// get returns the value of key in mapping node m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// eachPair calls fn for each key of mapping node m, in document order.
func eachPair(m *yaml.Node, fn func(key string, v *yaml.Node) error) error {
	if m == nil {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("expected a mapping (line %d)", m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		v := m.Content[i+1]
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if err := fn(m.Content[i].Value, v); err != nil {
			return err
		}
	}
	return nil
}
